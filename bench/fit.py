"""fit.py SAMPLES DEF - the cost model's coefficients from measured kernel calls.

SAMPLES: tab-separated model, node, family, 9 terms, measured instructions (one kernel
call each; bench/calibrate.sh). For each family named in FIT, the coefficients c >= 0
minimising sum(((c . terms) - measured) / measured)^2 (terms never seen stay 0), by
non-negative least squares (Lawson and Hanson). Rewrites
those families' CM rows in DEF (ir/cost_model.def), keeps every other line, and prints
model against measurement per node and the worst relative error per family.
"""
import sys

import numpy as np

FIT = ["conv_gemm", "conv_im2col", "conv_1x1", "conv_dw_rows", "gemm_pk", "conv", "conv_dw",
       "avgpool", "q8_conv_w16", "q8_fc_w16", "q8_conv_dw", "q8_add_lut", "q8_lut",
       "q8_conv", "q8_conv_1x1", "q8_fc", "q8_add",
       "q8_avgpool", "q8_gavgpool", "quantize_f32", "dequantize"]
TERMS = 9


def nnls(a, b, tol=1e-10):
    """min |a x - b| with x >= 0: Lawson and Hanson's active-set method."""
    n = a.shape[1]
    x = np.zeros(n)
    passive = np.zeros(n, dtype=bool)
    for _ in range(10 * n):
        w = a.T @ (b - a @ x)
        if passive.all() or w[~passive].max() <= tol:
            break
        j = np.argmax(np.where(passive, -np.inf, w))
        passive[j] = True
        while True:
            z = np.zeros(n)
            z[passive], *_ = np.linalg.lstsq(a[:, passive], b, rcond=None)
            if (z[passive] > tol).all():
                x = z
                break
            neg = passive & (z <= tol)
            alpha = np.min(x[neg] / (x[neg] - z[neg]))
            x = x + alpha * (z - x)
            passive &= x > tol
    return x


def main():
    samples, def_path = sys.argv[1], sys.argv[2]
    rows = {}
    for line in open(samples):
        f = line.rstrip("\n").split("\t")
        rows.setdefault(f[2], []).append((f[0], int(f[1]), [float(t) for t in f[3:3 + TERMS]],
                                          float(f[3 + TERMS])))
    fitted = {}
    for fam in FIT:
        if fam not in rows:
            continue
        r = rows[fam]
        a = np.array([t for _, _, t, _ in r])
        m = np.array([v for _, _, _, v in r])
        c = nnls(a / m[:, None], np.ones(len(m)))
        fitted[fam] = c
        pred = a @ c
        worst = max(abs(p / v - 1) for p, v in zip(pred, m))
        print("%s: %d calls, worst %.1f%% off" % (fam, len(r), 100 * worst))
        for (model, node, _, v), p in zip(r, pred):
            print("  %-22s node %3d  measured %10d  model %10d  %+6.1f%%" %
                  (model, node, v, p, 100 * (p / v - 1)))
    out = []
    for line in open(def_path):
        name = line[3:].split(",")[0] if line.startswith("CM(") else None
        if name in fitted:
            kind = line.split(",")[1].strip()
            coef = ", ".join("%.4g" % v for v in fitted[name])
            line = "CM(%s, %s, %s)\n" % (name, kind, coef)
        out.append(line)
    with open(def_path + ".new", "w") as f:
        f.writelines(out)
    import os
    os.replace(def_path + ".new", def_path)


main()
