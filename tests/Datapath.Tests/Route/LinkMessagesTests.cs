using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Route;

/// <summary>Builders against the iproute2 captures of netlink-reference.md §2 (ifindex 0x60 = 96, netns fd 4).</summary>
public class LinkMessagesTests
{
    [Fact]
    public void GetByName_MatchesCapture()
    {
        Hex.AssertEqual(
            """
            34 00 00 00 12 00 01 00 00 00 00 00 00 00 00 00
            00*16
            08 00 1d 00 09 00 00 00
            0a 00 03 00 76 65 78 70 30 00 00 00
            """,
            LinkMessages.GetByName("vexp0"));
    }

    [Fact]
    public void CreateWireGuard_MatchesCapture() =>
        Hex.AssertEqual(CapturedReplies.CreateWireGuardRequest, LinkMessages.CreateWireGuard("wgx"));

    [Fact]
    public void CreateVethPair_WithPeerInOtherNetns_MatchesCapture()
    {
        Hex.AssertEqual(
            """
            64 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00
            00*16
            0a 00 03 00 76 65 78 70 30 00 00 00
            38 00 12 00
            08 00 01 00 76 65 74 68
            2c 00 02 00
            28 00 01 00
            00*16
            08 00 1c 00 04 00 00 00
            0a 00 03 00 76 65 78 70 31 00 00 00
            """,
            LinkMessages.CreateVethPair("vexp0", "vexp1", peerNetnsFd: 4));
    }

    [Fact]
    public void CreateVethPair_WithoutNetns_OmitsNetNsFd()
    {
        var message = LinkMessages.CreateVethPair("vexp0", "vexp1", peerNetnsFd: null);

        Assert.Equal(0x5c, message.Length);
        Assert.DoesNotContain("08 00 1c 00", Hex.Format(message));
    }

    [Fact]
    public void MoveToNetns_MatchesCapture()
    {
        Hex.AssertEqual(
            "28 00 00 00 10 00 05 00 00*8 | 00 00 00 00 60 00 00 00 00*8 | 08 00 1c 00 04 00 00 00",
            LinkMessages.MoveToNetns(0x60, 4));
    }

    [Fact]
    public void SetUp_MatchesCaptureWithChangeSetToUp()
    {
        Hex.AssertEqual(
            "20 00 00 00 10 00 05 00 00*8 | 00 00 00 00 60 00 00 00 01 00 00 00 01 00 00 00",
            LinkMessages.SetUp(0x60, up: true));
    }

    [Fact]
    public void SetDown_ClearsUpWithChangeStillUp()
    {
        Hex.AssertEqual(
            "20 00 00 00 10 00 05 00 00*8 | 00 00 00 00 60 00 00 00 00 00 00 00 01 00 00 00",
            LinkMessages.SetUp(0x60, up: false));
    }

    [Fact]
    public void Delete_MatchesCapture()
    {
        Hex.AssertEqual("20 00 00 00 11 00 05 00 00*8 | 00 00 00 00 60 00 00 00 00*8", LinkMessages.Delete(0x60));
    }

    [Fact]
    public void SetAlias_SendsAliasWithoutNul()
    {
        Hex.AssertEqual(
            "30 00 00 00 10 00 05 00 00*8 | 00 00 00 00 60 00 00 00 00*8 | 0f 00 14 00 77 67 69 73 6f 6c 61 74 65 3a 61 00",
            LinkMessages.SetAlias(0x60, "wgisolate:a"));
    }

    [Theory]
    [InlineData("0123456789abcdef")]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a b")]
    public void Builders_RejectNamesTheKernelRejects(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => LinkMessages.CreateWireGuard(name));

        Assert.Contains($"interface name '{name}'", error.Message);
    }
}
