using Ppl.Inference.Distributed;

namespace Ppl.Mpi.Tests;

public class MpiPeerTests
{
    /// <summary>Rank 1 of 2 whose all-reduce adds what rank 0 would have written: pid 4242 on "node01".</summary>
    sealed class SecondOfTwo : ICommunicator
    {
        public int Rank => 1;
        public int Size => 2;
        public void AllReduceSum(Span<float> values) => throw new NotSupportedException();
        public void AllReduceSum(Span<double> values)
        {
            values[0] += 4242;
            for (int i = 0; i < "node01".Length; i++) values[1 + i] += "node01"[i];
        }
        public void Dispose() { }
    }

    [Fact]
    public void Exchange_TwoRanks_EachLearnsTheOthersPidAndHost()
    {
        var peers = MpiPeer.Exchange(new SecondOfTwo());
        Assert.Equal(new MpiPeer(0, 4242, "node01"), peers[0]);
        Assert.Equal(new MpiPeer(1, Environment.ProcessId, Environment.MachineName[..Math.Min(Environment.MachineName.Length, MpiPeer.HostChars)]), peers[1]);
        Assert.Equal("rank 0 (pid 4242 on node01)", peers[0].ToString());
    }
}
