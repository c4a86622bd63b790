
BmJU1U5Ua