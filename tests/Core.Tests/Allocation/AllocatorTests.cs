using System.Net;
using WgIsolate.Core.Allocation;

namespace WgIsolate.Core.Tests.Allocation;

public class AllocatorTests
{
    private static Allocator NewAllocator(AllocatorOptions? options = null) =>
        new(new AllocationState { ClusterPrefix = "fd69:2d8e:610a::/48" }, options);

    [Fact]
    public void AllocateApp_First_GetsSubnetOneNeverZero()
    {
        var allocator = NewAllocator();

        var app = allocator.AllocateApp("demo/receiver");

        Assert.Equal(1, app.Index);
        Assert.Equal(IPNetwork.Parse("fd69:2d8e:610a:1::/64"), allocator.SubnetOf(app));
    }

    [Fact]
    public void AllocateInstance_Twice_ReturnsTheSameAddressAndPort()
    {
        var allocator = NewAllocator();
        var app = allocator.AllocateApp("demo/receiver");

        var first = allocator.AllocateInstance("demo/receiver", "r-1", "node-1");
        var again = allocator.AllocateInstance("demo/receiver", "r-1", "node-1");

        Assert.Same(first, again);
        Assert.Equal(IPAddress.Parse("fd69:2d8e:610a:1::1"), allocator.AddressOf(app, first));
        Assert.Equal(51820, first.Port);
    }

    [Fact]
    public void AllocateInstance_MovedToAnotherNode_KeepsAddressGetsPortThere()
    {
        var allocator = NewAllocator();
        allocator.AllocateApp("demo/a");
        allocator.AllocateApp("demo/b");
        allocator.AllocateInstance("demo/b", "b-1", "node-2");
        var moving = allocator.AllocateInstance("demo/a", "a-1", "node-1");
        var address = moving.AddressIndex;

        var moved = allocator.AllocateInstance("demo/a", "a-1", "node-2");

        Assert.Equal(address, moved.AddressIndex);
        Assert.Equal("node-2", moved.Node);
        Assert.Equal(51821, moved.Port);
    }

    [Fact]
    public void ReleaseApp_ThenNewApp_ReusesTheFreedSubnet_ButNeverWhileHeld()
    {
        var allocator = NewAllocator();
        allocator.AllocateApp("demo/a");
        allocator.AllocateApp("demo/b");

        Assert.Equal(3, allocator.AllocateApp("demo/c").Index);
        allocator.ReleaseApp("demo/a");
        Assert.Equal(1, allocator.AllocateApp("demo/d").Index);
    }

    [Fact]
    public void AllocateApp_PoolExhausted_ThrowsNamingThePool()
    {
        var allocator = NewAllocator(new AllocatorOptions { LastAppIndex = 2 });
        allocator.AllocateApp("demo/a");
        allocator.AllocateApp("demo/b");

        var error = Assert.Throws<AllocationExhaustedException>(() => allocator.AllocateApp("demo/c"));

        Assert.Equal("no /64 left for demo/c: all 2 subnets of fd69:2d8e:610a::/48 are allocated", error.Message);
    }

    [Fact]
    public void AllocateInstance_PortsExhaustedOnNode_ThrowsButOtherNodesStillWork()
    {
        var allocator = NewAllocator(new AllocatorOptions { FirstPort = 40000, LastPort = 40001 });
        allocator.AllocateApp("demo/a");
        allocator.AllocateInstance("demo/a", "a-1", "n1");
        allocator.AllocateInstance("demo/a", "a-2", "n1");

        var error = Assert.Throws<AllocationExhaustedException>(() => allocator.AllocateInstance("demo/a", "a-3", "n1"));

        Assert.Contains("no UDP port left on node n1 for demo/a/a-3", error.Message);
        Assert.Equal(40000, allocator.AllocateInstance("demo/a", "a-3", "n2").Port);
    }

    [Fact]
    public void AllocateInstance_FixedPortHeldByOther_IsAConflict()
    {
        var allocator = NewAllocator();
        allocator.AllocateApp("demo/a");
        allocator.AllocateApp("demo/b");
        allocator.AllocateInstance("demo/a", "a", "host", fixedPort: 51820);

        var error = Assert.Throws<AllocationConflictException>(() => allocator.AllocateInstance("demo/b", "b", "host", fixedPort: 51820));

        Assert.Equal("port 51820 on node host is already used by demo/a/a; demo/b/b cannot have it", error.Message);
    }

    [Fact]
    public void State_RoundTripThroughJson_AllocatesExactlyAsBefore()
    {
        var allocator = NewAllocator();
        allocator.AllocateApp("demo/a");
        allocator.AllocateInstance("demo/a", "a-1", "n1");
        allocator.AllocateApp("demo/b");
        allocator.ReleaseApp("demo/a");

        var restored = new Allocator(AllocationState.FromJson(allocator.State.ToJson()));

        Assert.Equal(allocator.State.ToJson(), restored.State.ToJson());
        Assert.Equal(2, restored.AllocateApp("demo/b").Index);
        Assert.Equal(1, restored.AllocateApp("demo/c").Index);
    }
}
