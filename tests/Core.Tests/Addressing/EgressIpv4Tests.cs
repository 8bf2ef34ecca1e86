using WgIsolate.Core.Addressing;

namespace WgIsolate.Core.Tests.Addressing;

public class EgressIpv4Tests
{
    [Theory]
    [InlineData(1, "172.25.1.1", "172.25.1.2")]
    [InlineData(254, "172.25.254.1", "172.25.254.2")]
    [InlineData(255, "172.25.0.5", "172.25.0.6")]
    [InlineData(16319, "172.25.254.253", "172.25.254.254")]
    public void For_AppId_FollowsTheSeedsRule(int id, string host, string app)
    {
        var (h, a, length) = EgressIpv4.For(id);

        Assert.Equal((host, app, 30), (h.ToString(), a.ToString(), length));
    }

    [Fact]
    public void For_IdOverflowingTheLastOctet_IsRefusedWithTheLimit()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EgressIpv4.For(16320));

        Assert.Contains("app id 16320 has no egress IPv4 /30", error.Message);
    }

    [Fact]
    public void For_AnyTwoIds_NeverShareA30()
    {
        var seen = new HashSet<string>();
        for (var id = 0; id <= EgressIpv4.MaxAppId; id++)
        {
            var (host, _, _) = EgressIpv4.For(id);
            var bytes = host.GetAddressBytes();
            Assert.True(seen.Add($"{bytes[2]}.{bytes[3] & ~3}"), $"id {id} reuses a /30");
        }
    }
}
