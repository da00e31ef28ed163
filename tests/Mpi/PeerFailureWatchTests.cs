namespace Ppl.Mpi.Tests;

public class PeerFailureWatchTests
{
    static readonly MpiPeer[] Peers = [new(0, 100, "node01"), new(1, 101, "node01"), new(2, 200, "node02")];

    [Fact]
    public void Describe_DeadPeerOnThisHost_NamesItsRankPidAndHost()
    {
        string why = PeerFailureWatch.Describe(Peers, 0, pid => pid != 101);
        Assert.Equal("rank 1 (pid 101 on node01) ended before the fit did", why);
    }

    [Fact]
    public void Describe_NoDeadPeerOnThisHost_ListsTheRanksOnOtherHosts()
    {
        string why = PeerFailureWatch.Describe(Peers, 0, _ => true);
        Assert.Equal("the launcher reports that a process ended; it is not on node01, so it is one of rank 2 (pid 200 on node02)", why);
    }

    [Fact]
    public void Alive_ThisProcess_TrueAndAPidThatCannotExist_False()
    {
        Assert.True(PeerFailureWatch.Alive(Environment.ProcessId));
        Assert.False(PeerFailureWatch.Alive(int.MaxValue));
    }
}
