/* rules.c - the rewrite rules, one row each: name, left side in the rule language
   (passes/rewrite.c, docs/rewrites.md), guard and builder (rules_*.c), and one line of
   documentation. Rows are tried in order at each node; test/unit/test_rules.c proves
   each rule equivalent on random inputs. */
#include "rules.h"

#define R(name, pattern, fn, doc) {name, pattern, guard_##fn, build_##fn, doc},
#define ACTS "Relu|LeakyRelu|Sigmoid|Tanh|HardSigmoid|HardSwish|Gelu|Swish|Elu"
#define PRODUCERS "Conv|FusedConv|Gemm|FusedGemm"

const RwRule rw_rules[] = {
	/* ---- no-ops and chains ---- */
	R("add-zero", "Add($x, $k:c)", forward_zero, "x + 0 is x")
	R("sub-zero", "Sub($x, $k:c)", forward_zero, "x - 0 is x")
	R("mul-one", "Mul($x, $k:c)", forward_one, "x * 1 is x")
	R("div-one", "Div($x, $k:c)", forward_one, "x / 1 is x")
	R("pad-noop", "Pad($x, $pads:c, ...)", pad_noop, "a Pad of zero widths is its input")
	R("slice-noop", "Slice($x, ...)", slice_noop, "a Slice of everything with step 1 is its input")
	R("transpose-noop", "Transpose($x)", transpose_noop, "a Transpose in axis order is its input")
	R("transpose-pair", "Transpose#b(Transpose#a($x))", transpose_pair,
	  "two Transposes are one, or none when they cancel")
	R("reshape-chain", "Reshape|Flatten|Squeeze|Unsqueeze(Reshape|Flatten|Squeeze|Unsqueeze($x, ...), ...)",
	  reshape_chain, "a reshaping op of a reshaping op is one Reshape")

	/* ---- folding into weights ---- */
	R("bn-into-conv", "BatchNormalization(Conv|FusedConv#c($x, $w:c, $b?:c), $s:c, $o:c, $mean:c, $var:c)",
	  bn_conv, "BatchNormalization after a Conv scales its filters and shifts its bias")
	R("bn-into-convtranspose", "BatchNormalization(ConvTranspose#c($x, $w:c, $b?:c), $s:c, $o:c, $mean:c, $var:c)",
	  bn_convt, "BatchNormalization after a ConvTranspose, likewise")
	R("bn-into-gemm", "BatchNormalization(Gemm|FusedGemm#c($x, $w:c, $b?:c), $s:c, $o:c, $mean:c, $var:c)",
	  bn_gemm, "BatchNormalization after a Gemm scales B's columns and folds into C")
	R("bn-into-matmul", "BatchNormalization(MatMul#c($x, $w:c, $b?:c), $s:c, $o:c, $mean:c, $var:c)",
	  bn_matmul, "BatchNormalization after a 2-D MatMul by a constant: a Gemm")
	R("scale-into-conv", "Mul(Conv#c($x, $w:c, $b?:c), $k:c)", scale_conv,
	  "a per-channel Mul after a Conv scales its filters and bias")
	R("shift-into-conv", "Add(Conv#c($x, $w:c, $b?:c), $k:c)", shift_conv,
	  "a per-channel Add after a Conv adds to its bias")
	R("bias-into-gemm", "Add(Gemm|FusedGemm#p($a, $w:c, $c?:c), $k:c)", bias_gemm,
	  "a bias row added after a Gemm goes into its C")
	R("matmul-add-to-gemm", "Add(MatMul#mm($a, $w:c), $bias:c)", matmul_add,
	  "MatMul by a constant matrix plus a bias row is a Gemm (reshaped around it)")
	R("pad-into-conv", "Conv|FusedConv(Pad#p($x, $pads:c, $val?:c, $axes?:c), ...)", pad_conv,
	  "a zero Pad of the spatial axes becomes the Conv's own padding")
	R("pad-into-avgpool", "AveragePool(Pad#p($x, $pads:c, $val?:c, $axes?:c))", pad_avgpool,
	  "a zero Pad becomes AveragePool padding, counted in the average")

	/* ---- epilogues ---- */
	R("act-into-producer", ACTS "(" PRODUCERS "#p(...))", act_into,
	  "an activation after a Conv or Gemm runs in its epilogue")
	R("act-into-matmul", ACTS "(MatMul($a, $w:c))", act_matmul,
	  "an activation after a MatMul by a constant matrix: a FusedGemm with it (reshaped around)")
	R("clip-into-producer", "Clip(" PRODUCERS "#p(...), $lo?:c, $hi?:c)", clip_into,
	  "a Clip (Relu6) after a Conv or Gemm clamps in its epilogue")
	R("residual-into-conv", "Add(Conv|FusedConv#c(...), $r)", residual_conv,
	  "a residual Add after a Conv is added in its epilogue, before the activation")
	R("residual-into-qconv", "QAdd(QConv#c(...), $r)", residual_qconv,
	  "an int8 residual Add after a QConv is added as each output is written (over the "
	  "residual when it dies there)")
	R("quantize-into-qconv", "QConv(QuantizeLinear#q($x, $s:c, $z?:c), ...)", quantize_qconv,
	  "a float input quantized for a QConv is quantized as the QConv reads it, a few rows at "
	  "a time (portable int8 kernels)")

	/* ---- splitting and scaling ---- */
	R("split-gemm-by-slices", "Slice#s($y, ...)", slices_gemm,
	  "a Gemm read only through disjoint column Slices is one Gemm per slice")
	R("scale-into-gemm", "Mul|Div(Gemm|FusedGemm#p(...), $k:c)", scale_gemm,
	  "a scalar Mul or Div after a Gemm goes into its alpha and beta")

	/* ---- decomposed ops recognised ---- */
	R("layernorm", "Div(Sub#d($x, ReduceMean#m($x, ...)), "
		       "Sqrt(Add(ReduceMean#v(Pow(#d, $two:c), ...), $eps:c)))", layernorm,
	  "(x - mean) / sqrt(var + eps) over trailing axes is LayerNormalization")
	R("layernorm-scale", "Mul(LayerNormalization#l($x, $g:c, $b?:c), $k:c)", layernorm_scale,
	  "a Mul by a constant after LayerNormalization scales its scale and bias")
	R("layernorm-shift", "Add(LayerNormalization#l($x, $g:c, $b?:c), $k:c)", layernorm_shift,
	  "an Add of a constant after LayerNormalization adds to its bias")
	R("gelu-erf", "Mul(Mul($x, Add(Erf(Div|Mul#s($x, $c:c)), $one:c)), $half:c)", gelu_erf,
	  "x (1 + erf(x / sqrt 2)) 0.5 is Gelu")
	R("gelu-erf-half-first", "Mul(Mul($x, $half:c), Add(Erf(Div|Mul#s($x, $c:c)), $one:c))",
	  gelu_erf, "0.5 x (1 + erf(x / sqrt 2)) is Gelu")
	R("gelu-tanh", "Mul(Mul($x, Add(Tanh(Mul(Add($x, Mul(Pow($x, $three:c), $k:c)), $s:c)), "
		       "$one:c)), $half:c)", gelu_tanh,
	  "x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) 0.5 is Gelu(approximate=tanh)")
	R("gelu-tanh-half-first", "Mul(Mul($x, $half:c), Add(Tanh(Mul(Add($x, Mul(Pow($x, "
				  "$three:c), $k:c)), $s:c)), $one:c))", gelu_tanh,
	  "0.5 x (1 + tanh(...)) is Gelu(approximate=tanh)")
	R("silu", "Mul($x, Sigmoid($x))", silu, "x sigmoid(x) is Swish (SiLU)")
	R("hardswish", "Mul($x, HardSigmoid#h($x))", hardswish_hs,
	  "x hardsigmoid(x) with alpha 1/6, beta 0.5 is HardSwish")
	R("hardswish-clip", "Div(Mul($x, Clip(Add($x, $three:c), $lo:c, $hi:c)), $six:c)",
	  hardswish_clip, "x clip(x + 3, 0, 6) / 6 is HardSwish")
	R("softmax-stable", "Div(Exp#e(Sub($x, ReduceMax#mx($x, ...))), ReduceSum#sum(#e, ...))",
	  softmax, "exp(x - max x) / sum(...) along one axis is Softmax")
	R("softmax", "Div(Exp#e($x), ReduceSum#sum(#e, ...))", softmax,
	  "exp(x) / sum(exp(x)) along one axis is Softmax")
};
const int rw_nrules = (int)(sizeof rw_rules / sizeof rw_rules[0]);

/* moves the search explores (passes/search.c): each may cost the same or more, until
   a greedy rule folds what was moved */
const RwRule rw_search_rules[] = {
	R("scale-up-matmul-a", "Mul|Div(MatMul#p($x, $b), $k:c)", scale_up,
	  "a scalar Mul or Div after a MatMul moves to its first operand")
	R("scale-up-matmul-b", "Mul|Div(MatMul#p($x, $b), $k:c)", scale_up_b,
	  "a scalar Mul or Div after a MatMul moves to its second operand")
	R("scale-up-transpose", "Mul|Div(Transpose#p($x), $k:c)", scale_up,
	  "a scalar Mul or Div after a Transpose moves before it")
	R("scale-up-reshape", "Mul|Div(Reshape|Flatten|Squeeze|Unsqueeze#p($x, ...), $k:c)", scale_up,
	  "a scalar Mul or Div after a reshaping op moves before it")
};
const int rw_nsearch_rules = (int)(sizeof rw_search_rules / sizeof rw_search_rules[0]);
