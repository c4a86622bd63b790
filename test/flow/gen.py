#!/usr/bin/python3
# gen.py - control flow and sequence fixtures with numpy references: nested subgraphs
# reading enclosing values, Loops ended by their condition, reversed Scans, sequence ops
# and sequence inputs and outputs (their layout taken from the data set).
import os, shutil, numpy as np, onnx
from onnx import helper as h, numpy_helper as nh, TensorProto as TP
root = os.path.dirname(os.path.abspath(__file__))
for old in os.listdir(root):  # the fixtures of an earlier run, not this script
    if os.path.isdir(os.path.join(root, old)):
        shutil.rmtree(os.path.join(root, old))
N = h.make_node
rng = np.random.default_rng(0)
f32 = lambda *s: rng.standard_normal(s).astype(np.float32)
vi = lambda n, t=TP.FLOAT, s=None: h.make_tensor_value_info(n, t, s)
seq = lambda n: h.make_tensor_sequence_value_info(n, TP.FLOAT, None)


def value(a, n):
    return nh.from_list(a, n) if isinstance(a, list) else nh.from_array(a, n)


def save(name, nodes, inputs, outputs, inits=(), opset=18):
    """inputs and outputs: (value info, value); a list value is a sequence"""
    d = os.path.join(root, name); os.makedirs(d + '/test_data_set_0')
    g = h.make_graph(nodes, name, [v for v, _ in inputs], [v for v, _ in outputs],
                     [nh.from_array(a, n) for n, a in inits])
    m = h.make_model(g, opset_imports=[h.make_opsetid('', opset)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, d + '/model.onnx')
    for k, (v, a) in enumerate(inputs):
        open(d + f'/test_data_set_0/input_{k}.pb', 'wb').write(value(a, v.name).SerializeToString())
    for k, (v, a) in enumerate(outputs):
        open(d + f'/test_data_set_0/output_{k}.pb', 'wb').write(value(a, v.name).SerializeToString())


i64 = lambda a: np.array(a, np.int64)
b_ = lambda n: vi(n, TP.BOOL, [])
it = vi('i', TP.INT64, [])

# a Loop of 3 whose body holds an If on the iteration number: the branches read x, a
# value two graphs out, and the Loop's state
x = f32(4)
then_g = h.make_graph([N('Add', ['v', 'x'], ['o'])], 'then', [], [vi('o', s=[4])])
else_g = h.make_graph([N('Mul', ['v', 'two'], ['o2'])], 'else', [], [vi('o2', s=[4])])
body = h.make_graph([N('Less', ['i', 'one'], ['first']),
                     N('If', ['first'], ['vo'], then_branch=then_g, else_branch=else_g),
                     N('Identity', ['ci'], ['co'])], 'body',
                    [it, b_('ci'), vi('v', s=[4])], [b_('co'), vi('vo', s=[4])])
v0 = f32(4)
save('f_loop_if_outer', [N('Loop', ['m', '', 'v0'], ['y'], body=body)],
     [(vi('x', s=[4]), x), (vi('v0', s=[4]), v0)], [(vi('y', s=[4]), (v0 + x) * 4)],
     [('m', i64(3)), ('one', i64(1)), ('two', np.float32(2))])

# a Loop without a trip count, ended by its condition (i + 1 < 4), stacking its state
body = h.make_graph([N('Add', ['i', 'one'], ['n']), N('Less', ['n', 'four'], ['co']),
                     N('Add', ['v', 'x'], ['vo']), N('Identity', ['vo'], ['scan'])], 'body',
                    [it, b_('ci'), vi('v', s=[2, 3])],
                    [b_('co'), vi('vo', s=[2, 3]), vi('scan', s=[2, 3])])
x, v0 = f32(2, 3), f32(2, 3)
steps = [v0 + x * (k + 1) for k in range(4)]
save('f_loop_while', [N('Loop', ['', 'c', 'v0'], ['y', 'ys'], body=body)],
     [(vi('x', s=[2, 3]), x), (vi('v0', s=[2, 3]), v0)],
     [(vi('y', s=[2, 3]), steps[-1]), (vi('ys', s=[4, 2, 3]), np.stack(steps))],
     [('c', np.array(True)), ('one', i64(1)), ('four', i64(4))])

# a Scan over the rows of x from the end, its outputs stacked on axis 1 from the end
body = h.make_graph([N('Add', ['s', 'r'], ['so']), N('Mul', ['so', 'two'], ['y'])], 'body',
                    [vi('s', s=[3]), vi('r', s=[3])], [vi('so', s=[3]), vi('y', s=[3])])
x, s0 = f32(4, 3), f32(3)
s, ys = s0, []
for r in x[::-1]:
    s = s + r
    ys.append(s * 2)
save('f_scan_reverse', [N('Scan', ['s0', 'x'], ['s', 'ys'], body=body, num_scan_inputs=1,
                          scan_input_directions=[1], scan_output_axes=[1],
                          scan_output_directions=[1])],
     [(vi('s0', s=[3]), s0), (vi('x', s=[4, 3]), x)],
     [(vi('s', s=[3]), s), (vi('ys', s=[3, 4]), np.stack(ys[::-1], axis=1))],
     [('two', np.float32(2))], opset=16)

# SplitToSequence by sizes, SequenceErase, SequenceInsert at the front, SequenceLength,
# ConcatFromSequence on an existing and on a new axis
x, t = f32(6, 4), f32(2, 4)
parts = [t, x[0:1], x[3:6]]
save('f_seq_ops', [N('SplitToSequence', ['x', 'sp'], ['s1'], axis=0),
                   N('SequenceErase', ['s1', 'one'], ['s2']),
                   N('SequenceInsert', ['s2', 't', 'zero'], ['s3']),
                   N('SequenceLength', ['s3'], ['n']),
                   N('ConcatFromSequence', ['s3'], ['y'], axis=0),
                   N('SplitToSequence', ['x'], ['s4'], axis=1, keepdims=0),
                   N('ConcatFromSequence', ['s4'], ['z'], axis=-1, new_axis=1)],
     [(vi('x', s=[6, 4]), x), (vi('t', s=[2, 4]), t)],
     [(vi('n', TP.INT64, []), i64(3)), (vi('y', s=[6, 4]), np.concatenate(parts)),
      (vi('z', s=[6, 4]), x)],
     [('sp', i64([1, 2, 3])), ('one', i64(1)), ('zero', i64(0))])

# a sequence input of two shapes through SequenceMap to a sequence output
a, b, w = f32(2, 3), f32(4, 3), f32(3)
body = h.make_graph([N('Add', ['e', 'w'], ['s']), N('Relu', ['s'], ['r'])], 'body',
                    [vi('e'), vi('w', s=[3])], [vi('r')])
save('f_seq_map_io', [N('SequenceMap', ['xs', 'w'], ['ys'], body=body),
                      N('SequenceAt', ['ys', 'last'], ['y1'])],
     [(seq('xs'), [a, b]), (vi('w', s=[3]), w)],
     [(seq('ys'), [np.maximum(a + w, 0), np.maximum(b + w, 0)]),
      (vi('y1', s=[4, 3]), np.maximum(b + w, 0))],
     [('last', i64(-1))])
