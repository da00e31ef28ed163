using Ppl.Runtime.Autodiff;
using Ppl.Runtime.Tensors;
using static Ppl.Runtime.Tests.Autodiff.GradCheck;

namespace Ppl.Runtime.Tests.Autodiff;

public class OpsGradientTests
{
    static readonly System.Random Rng = new(7);
    static Tensor R(params int[] shape) => RandomTensor(Rng, shape);
    static Tensor Pos(params int[] shape) => RandomTensor(Rng, shape, 0.3, 2.5);
    static Tensor Unit(params int[] shape) => RandomTensor(Rng, shape, 0.05, 0.95);

    [Fact] public void Add_Broadcasting_MatchesFiniteDifferences() => Check(x => x[0] + x[1], R(3, 4), R(4));
    [Fact] public void Add_ColumnAgainstRow_MatchesFiniteDifferences() => Check(x => x[0] + x[1], R(3, 1), R(1, 4));
    [Fact] public void Sub_ScalarBroadcast_MatchesFiniteDifferences() => Check(x => x[0] - x[1], R(2, 3), R());
    [Fact] public void Sub_ColumnAgainstScalar_MatchesFiniteDifferences() => Check(x => x[1] - x[0], R(3, 1), R());
    [Fact] public void Mul_Broadcasting_MatchesFiniteDifferences() => Check(x => x[0] * x[1], R(2, 3, 4), R(3, 1));
    [Fact] public void Div_Broadcasting_MatchesFiniteDifferences() => Check(x => x[0] / x[1], R(3, 4), Pos(4));
    [Fact] public void Pow_BothInputs_MatchesFiniteDifferences() => Check(x => Ops.Pow(x[0], x[1]), Pos(3, 2), R(2));
    [Fact] public void Square_MatchesFiniteDifferences() => Check(x => Ops.Square(x[0]), R(5));
    [Fact] public void Neg_MatchesFiniteDifferences() => Check(x => -x[0], R(5));
    [Fact] public void Maximum_MatchesFiniteDifferences() => Check(x => Ops.Maximum(x[0], x[1]), R(4, 3), R(3));
    [Fact] public void Minimum_MatchesFiniteDifferences() => Check(x => Ops.Minimum(x[0], x[1]), R(4, 3), R(4, 1));

    [Fact] public void Exp_MatchesFiniteDifferences() => Check(x => Ops.Exp(x[0]), R(6));
    [Fact] public void Log_MatchesFiniteDifferences() => Check(x => Ops.Log(x[0]), Pos(6));
    [Fact] public void Log1p_MatchesFiniteDifferences() => Check(x => Ops.Log1p(x[0]), Pos(6));
    [Fact] public void Expm1_MatchesFiniteDifferences() => Check(x => Ops.Expm1(x[0]), R(6));
    [Fact] public void Sqrt_MatchesFiniteDifferences() => Check(x => Ops.Sqrt(x[0]), Pos(6));
    [Fact] public void Abs_MatchesFiniteDifferences() => Check(x => Ops.Abs(x[0]), R(6));
    [Fact] public void Softplus_MatchesFiniteDifferences() => Check(x => Ops.Softplus(x[0]), R(6));
    [Fact] public void Sigmoid_MatchesFiniteDifferences() => Check(x => Ops.Sigmoid(x[0]), R(6));
    [Fact] public void LogSigmoid_MatchesFiniteDifferences() => Check(x => Ops.LogSigmoid(x[0]), R(6));
    [Fact] public void Logit_MatchesFiniteDifferences() => Check(x => Ops.Logit(x[0]), Unit(6));
    [Fact] public void Tanh_MatchesFiniteDifferences() => Check(x => Ops.Tanh(x[0]), R(6));
    [Fact] public void Relu_MatchesFiniteDifferences() => Check(x => Ops.Relu(x[0]), R(6));
    [Fact] public void Elu_MatchesFiniteDifferences() => Check(x => Ops.Elu(x[0]), R(6));
    [Fact] public void Lgamma_MatchesFiniteDifferences() => Check(x => Ops.Lgamma(x[0]), Pos(6));
    [Fact] public void Digamma_MatchesFiniteDifferences() => Check(x => Ops.Digamma(x[0]), Pos(6));

    [Fact] public void Sum_All_MatchesFiniteDifferences() => Check(x => Ops.Sum(x[0]), R(3, 4));
    [Fact] public void Sum_Axis_MatchesFiniteDifferences() => Check(x => Ops.Sum(x[0], 1), R(2, 3, 4));
    [Fact] public void Sum_AxisKeepDims_MatchesFiniteDifferences() => Check(x => Ops.Sum(x[0], 0, keepDims: true), R(3, 4));
    [Fact] public void Mean_Axis_MatchesFiniteDifferences() => Check(x => Ops.Mean(x[0], -1), R(3, 4));
    [Fact] public void Max_Axis_MatchesFiniteDifferences() => Check(x => Ops.Max(x[0], 1), R(3, 5));
    [Fact] public void Min_All_MatchesFiniteDifferences() => Check(x => Ops.Min(x[0]), R(7));
    [Fact] public void LogSumExp_MiddleAxis_MatchesFiniteDifferences() => Check(x => Ops.LogSumExp(x[0], 1), R(2, 3, 4));
    [Fact] public void LogSoftmax_MatchesFiniteDifferences() => Check(x => Ops.LogSoftmax(x[0]), R(3, 5));
    [Fact] public void Softmax_MatchesFiniteDifferences() => Check(x => Ops.Softmax(x[0], 0), R(3, 5));

    [Fact] public void MatMul_Matrices_MatchesFiniteDifferences() => Check(x => Ops.MatMul(x[0], x[1]), R(3, 4), R(4, 5));
    [Fact] public void MatMul_VectorLeft_MatchesFiniteDifferences() => Check(x => Ops.MatMul(x[0], x[1]), R(4), R(4, 3));
    [Fact] public void MatMul_VectorRight_MatchesFiniteDifferences() => Check(x => Ops.MatMul(x[0], x[1]), R(3, 4), R(4));
    [Fact] public void MatMul_BatchedLeftSharedRight_MatchesFiniteDifferences() => Check(x => Ops.MatMul(x[0], x[1]), R(2, 3, 4), R(4, 2));
    [Fact] public void MatMul_Batched_MatchesFiniteDifferences() => Check(x => Ops.MatMul(x[0], x[1]), R(2, 3, 4), R(2, 4, 2));
    [Fact] public void MatMul_OfTransposed_MatchesFiniteDifferences() => Check(x => Ops.MatMul(Ops.Transpose(x[0]), x[1]), R(4, 3), R(4, 2));
    [Fact] public void MatMul_SameInputTwice_AccumulatesBothPaths() => Check(x => Ops.MatMul(x[0], x[0]), R(3, 3));
    [Fact] public void Transpose_Batched_MatchesFiniteDifferences() => Check(x => Ops.Transpose(x[0]), R(2, 3, 4));

    [Fact] public void Reshape_MatchesFiniteDifferences() => Check(x => Ops.Reshape(x[0], 4, -1) * x[1], R(2, 6), R(3));
    [Fact] public void BroadcastTo_MatchesFiniteDifferences() => Check(x => Ops.BroadcastTo(x[0], 2, 3, 4), R(3, 1));
    [Fact] public void Slice_MiddleAxis_MatchesFiniteDifferences() => Check(x => Ops.Slice(x[0], 1, 1, 3), R(2, 4, 3));
    [Fact] public void Slice_FirstAxisView_MatchesFiniteDifferences() => Check(x => Ops.Slice(x[0], 0, 1, 3) * 2f, R(4, 3));
    [Fact] public void Index_MatchesFiniteDifferences() => Check(x => Ops.Index(x[0], 1, -1), R(3, 4));
    [Fact] public void Gather_RepeatedIndices_MatchesFiniteDifferences() =>
        Check(x => Ops.Gather(x[0], IntTensor.Vector(2, 0, 2, 1, 2)), R(3, 2));
    [Fact] public void Gather_InnerAxis_MatchesFiniteDifferences() =>
        Check(x => Ops.Gather(x[0], new IntTensor([1, 1, 0, 3], 2, 2), 1), R(3, 4));
    [Fact] public void ScatterAdd_MatchesFiniteDifferences() =>
        Check(x => Ops.ScatterAdd(x[0], IntTensor.Vector(0, 2, 0, 1), 3), R(4, 2));
    [Fact] public void Stack_MatchesFiniteDifferences() => Check(x => Ops.Stack([x[0], x[1] * x[0]], 1), R(3, 2), R(3, 2));
    [Fact] public void Concat_MatchesFiniteDifferences() => Check(x => Ops.Concat([x[0], x[1]], 1), R(2, 3), R(2, 1));
    [Fact] public void Where_MatchesFiniteDifferences() =>
        Check(x => Ops.Where(Tensor.Vector(1, 0, 1), x[0], x[1]), R(2, 3), R(3));
    [Fact] public void Dot_MatchesFiniteDifferences() => Check(x => Ops.Dot(x[0], x[1]), R(5), R(5));

    [Fact]
    public void Composite_MlpLikeChain_MatchesFiniteDifferences() =>
        Check(x => Ops.LogSoftmax(Ops.MatMul(Ops.Tanh(Ops.MatMul(x[0], x[1]) + x[2]), x[3])), R(4, 3), R(3, 5), R(5), R(5, 2));

    [Fact]
    public void Detach_StopsGradient()
    {
        var tape = new Tape();
        var p = tape.Attach(Var.Parameter(Tensor.Vector(1, 2, 3)));
        var loss = Ops.Sum(Ops.Detach(p) * p);
        tape.Backward(loss);
        Assert.Equal(new float[] { 1, 2, 3 }, p.Grad!.ToArray());
    }

    [Fact]
    public void Backward_ParameterGradients_Accumulate()
    {
        var tape = new Tape();
        var p = tape.Attach(Var.Parameter(Tensor.Vector(1, 2)));
        tape.Backward(Ops.Sum(p * 3f));
        tape.Reset();
        tape.Backward(Ops.Sum(p * 3f));
        Assert.Equal(new float[] { 6, 6 }, p.Grad!.ToArray());
    }

    [Fact]
    public void Step_SteadyState_ReusesPooledBuffers()
    {
        var tape = new Tape();
        var w = tape.Attach(Var.Parameter(R(8, 4)));
        var x = Var.Const(R(16, 8));
        (int Pooled, float[][] Buffers) Step()
        {
            var h = Ops.MatMul(x, w);
            var a = Ops.Softplus(h);
            var loss = Ops.Sum(a);
            tape.Backward(loss);
            float[][] buffers = [h.Value.Storage, a.Value.Storage, loss.Value.Storage, h.Grad!.Storage, a.Grad!.Storage, loss.Grad!.Storage];
            int n = tape.PooledBuffers;
            tape.Reset();
            return (n, buffers);
        }
        var first = Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var second = Step();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        var third = Step();

        // The same number of buffers every step, and the values and adjoints of a later step live in buffers the
        // first step rented (a step that bypassed the pool would hand out fresh arrays).
        Assert.True(first.Pooled >= first.Buffers.Length, $"first step rented {first.Pooled} buffers");
        Assert.Equal(first.Pooled, second.Pooled);
        Assert.Equal(first.Pooled, third.Pooled);
        var rentedFirst = new HashSet<float[]>(first.Buffers, ReferenceEqualityComparer.Instance);
        Assert.All(second.Buffers.Concat(third.Buffers), b => Assert.Contains(b, rentedFirst));
        // What remains is small objects (nodes, closures, shape arrays).
        Assert.True(bytes < 16 * 1024, $"steady-state step allocated {bytes} bytes");
    }

    [Fact]
    public void Step_SteadyState_RecyclesNodesAndAllocatesNothing()
    {
        // The ops of a small ELBO-like step: a steady step reuses the tape's Var nodes, tensors and static rules.
        var tape = new Tape();
        var mu = tape.Attach(Var.Parameter(R(8)));
        var rho = tape.Attach(Var.Parameter(R(8)));
        var y = Var.Const(R(8));
        var eps = Var.Const(R(8));
        void Step(Var[] nodes)
        {
            var sigma = Ops.Exp(rho);
            var z = mu + sigma * eps;
            var r = (y - z) / sigma;
            var loss = Ops.AddWeightedSum(Ops.AddWeightedSum(null, Ops.Square(r), 0.5f), Ops.Log(sigma), -1f);
            tape.Backward(loss);
            (nodes[0], nodes[1], nodes[2], nodes[3]) = (sigma, z, r, loss);
            tape.Reset();
        }
        Var[] first = new Var[4], second = new Var[4], third = new Var[4];
        Step(first);
        Step(second);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step(third);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        var reused = new HashSet<Var>(first, ReferenceEqualityComparer.Instance);
        Assert.All(third, v => Assert.Contains(v, reused));
        Assert.True(bytes == 0, $"steady-state step allocated {bytes} bytes");
    }

    [Fact] public void AddWeightedSum_MatchesFiniteDifferences() => Check(x => Ops.AddWeightedSum(Ops.Sum(x[0]), x[1], -0.7f), R(3), R(2, 3));

    [Fact]
    public void Parameter_NotAttached_Throws()
    {
        var p = Var.Parameter(Tensor.Vector(1));
        Assert.Throws<InvalidOperationException>(() => Ops.Exp(p));
    }
}
