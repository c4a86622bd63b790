
BhJkLrHOÇÍÅðÉ˜LL¹nM‘H‘IðÊ