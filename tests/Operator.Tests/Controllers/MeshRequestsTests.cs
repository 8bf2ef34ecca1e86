using Microsoft.Extensions.Time.Testing;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Runtime;
using static WgIsolate.Operator.Tests.Controllers.TestCache;

namespace WgIsolate.Operator.Tests.Controllers;

public sealed class MeshRequestsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly WorkQueue _meshQueue = new(TimeProvider.System, BackoffRateLimiter.Default());
    private int _appBacklog;
    private readonly MeshRequests _requests;

    public MeshRequestsTests() => _requests = new MeshRequests(_meshQueue, () => _appBacklog, _time);

    [Fact]
    public void BatchDelay_WhileAppReconcilesAreQueued_WaitsAtMostTheMaximumAfterTheOldestRequest()
    {
        _appBacklog = 3;
        _requests.App(Ref("a"));
        Assert.NotNull(_requests.BatchDelay());

        _time.Advance(MeshRequests.MaxBatchDelay - TimeSpan.FromMilliseconds(30));
        _requests.App(Ref("b"));
        Assert.Equal(TimeSpan.FromMilliseconds(30), _requests.BatchDelay());

        _time.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Null(_requests.BatchDelay());
        Assert.Equal(["a", "b"], _requests.Take().Apps.Select(a => a.Name).Order());
    }

    [Fact]
    public void BatchDelay_AfterALongRound_WaitsUpToTwiceThatRound()
    {
        _requests.RoundTook(TimeSpan.FromSeconds(20));
        _appBacklog = 3;
        _requests.App(Ref("a"));

        _time.Advance(TimeSpan.FromSeconds(39));
        Assert.NotNull(_requests.BatchDelay());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_requests.BatchDelay());
    }

    [Fact]
    public void BatchDelay_LoneChange_DoesNotWait()
    {
        _requests.App(Ref("a"));

        Assert.Null(_requests.BatchDelay());
        Assert.Equal(1, _meshQueue.Depth);
    }

    [Fact]
    public void Return_PutsBackWhatAFailedReconcileTook_NextToNewRequests()
    {
        _requests.App(Ref("a"));
        _requests.NodeAddress("node-1");
        var taken = _requests.Take();
        _requests.NodeSpec("node-2");

        _requests.Return(taken);

        var again = _requests.Take();
        Assert.Equal(["a"], again.Apps.Select(a => a.Name));
        Assert.Equal(["node-1"], again.Addresses);
        Assert.Equal(["node-2"], again.Specs);
        Assert.False(again.All);
    }

    public void Dispose() => _meshQueue.Dispose();
}
