using System.Text.Json;
using Xunit.Abstractions;

namespace WgIsolate.KernelWireGuardVm.Tests;

/// <summary>
/// The agent's path inside the VM: the detected kernel backend under the real LinuxDataplane and Converger, with the
/// seed's receiver (fd00:77:0:1::1) and sender (::2), an outsider (fd00:77:0:2::1) and an app with 300 peers.
/// `wg show dump`, run in the VM, is the independent witness.
/// </summary>
public sealed class AppScenarioTests(ITestOutputHelper output)
{
    private const string ReceiverAddress = "fd00:77:0:1::1";
    private const string SenderAddress = "fd00:77:0:1::2";
    private const int ManyPeers = 300;
    private const int SetDeviceBudget = 4096;

    [VmFact]
    public void Demo_LinksAreCreatedInTheRootAndMoved_WithTheAppsAddressAndClusterRoute()
    {
        var demo = ProbeVm.Passed("demo");

        Assert.Equal("kernel", demo.GetProperty("backend").GetString());
        var changes = demo.Strings("changes");
        foreach (var app in new[] { "receiver", "sender" })
        {
            Assert.Contains($"created link wg-{app} (kernel)", changes);
            Assert.Contains($"moved link wg-{app} into {app}", changes);
            var inside = demo.GetProperty(app);
            Assert.Equal(["lo up", $"wg-{app} up"], inside.Strings("links").Order());
            Assert.Equal([$"{(app == "receiver" ? ReceiverAddress : SenderAddress)}/64"], inside.Strings("addresses"));
            Assert.Equal([$"fd00:77::/48 dev wg-{app}"], inside.Strings("routes"));
            // The UDP socket stays where the link was created: the app cannot see or misuse it.
            Assert.False(inside.GetProperty("listenPortInNamespace").GetBoolean(), $"{app}'s WireGuard port is bound inside its namespace");
            Assert.True(inside.GetProperty("listenPortInRoot").GetBoolean(), $"{app}'s WireGuard port is not bound in the root namespace");
            // The converger's own fail-closed read-back agrees, on the kernel backend too.
            Assert.Empty(inside.Strings("isolationDeviations"));
        }
    }

    [VmFact]
    public void Demo_SenderReachesReceiver_ByPingAndTcp()
    {
        var demo = ProbeVm.Passed("demo");

        Assert.True(demo.GetProperty("pingRttMs").ValueKind == JsonValueKind.Number, "the sender's ping got no reply: " + demo);
        Assert.Equal(demo.GetProperty("tcpSent").GetString(), demo.GetProperty("tcpReceived").GetString());
        output.WriteLine($"first ping (with handshake) {demo.GetProperty("pingRttMs").GetInt64()} ms; {ProbeVm.Console.Timing}");
    }

    [VmFact]
    public void Demo_WgShowDump_ShowsThePeerItsEndpointAllowedIPAndAHandshake()
    {
        var demo = ProbeVm.Passed("demo");

        var receiver = demo.GetProperty("receiver");
        Assert.EndsWith("\t51821\toff", receiver.Strings("wgDump")[0]);
        var peer = Assert.Single(receiver.WgPeers("wgDump"));
        Assert.Equal([demo.GetProperty("senderPublicKey").GetString()!, "[::1]:51822", $"{SenderAddress}/128"], new[] { peer[0], peer[2], peer[3] });
        Assert.True(long.Parse(peer[4]) > 0, "wg shows no handshake: " + string.Join('\t', peer));
    }

    [VmFact]
    public void ReadBack_HandshakeAndByteCounters_AreNonzeroAndAgreeWithWg()
    {
        var readBack = ProbeVm.Passed("readback");
        var (before, after) = (readBack.GetProperty("before"), readBack.GetProperty("after"));
        var wg = Assert.Single(readBack.WgPeers("wgDump"));

        Assert.Equal(before.GetProperty("publicKey").GetString(), wg[0]);
        var handshake = before.GetProperty("handshakeUnix").GetInt64();
        Assert.True(handshake > 0, readBack.ToString());
        Assert.Equal(handshake, long.Parse(wg[4]));
        Assert.Equal(handshake, after.GetProperty("handshakeUnix").GetInt64());
        // Read before and after wg: a passive keepalive could land in between, so wg's figure lies in the bracket.
        foreach (var (field, column) in new[] { ("rx", 5), ("tx", 6) })
        {
            var (low, high, seen) = (before.GetProperty(field).GetInt64(), after.GetProperty(field).GetInt64(), long.Parse(wg[column]));
            Assert.True(low > 0, $"{field} is zero after ping and TCP: {readBack}");
            Assert.InRange(seen, low, high);
        }
    }

    [VmFact]
    public void NonPeer_ReachesNeitherApp_AndNeitherReachesIt()
    {
        var isolation = ProbeVm.Passed("isolation");
        var replied = isolation.GetProperty("pingReplied");

        Assert.True(replied.GetProperty("senderToReceiver").GetBoolean(), "the peers themselves must still talk");
        Assert.False(replied.GetProperty("outsiderToReceiver").GetBoolean(), "the outsider reached the receiver");
        Assert.False(replied.GetProperty("outsiderToSender").GetBoolean(), "the outsider reached the sender");
        Assert.False(replied.GetProperty("receiverToOutsider").GetBoolean(), "the receiver reached the outsider");
        Assert.Equal("", isolation.GetProperty("tcpOutsiderToReceiver").GetString());
        var outsiderKey = isolation.GetProperty("outsiderPublicKey").GetString();
        Assert.DoesNotContain(isolation.WgPeers("receiverWgDump"), peer => peer[0] == outsiderKey);
        // The outsider keeps trying, but no handshake ever completes.
        Assert.All(isolation.WgPeers("outsiderWgDump"), peer => Assert.Equal("0", peer[4]));
    }

    [VmFact]
    public void PeerListUpdate_GoesToTheKernelAsADiff_AndKeepsTheUnchangedPeersHandshake()
    {
        var diff = ProbeVm.Passed("diff-keeps-handshake");
        var handshake = diff.GetProperty("before").GetProperty("handshakeUnix").GetInt64();

        var messages = diff.GetProperty("setDeviceMessages");
        var toReceiver = Assert.Single(messages.GetProperty("wg-receiver").EnumerateArray());
        Assert.Equal(1, toReceiver.GetProperty("peers").GetInt32());
        Assert.False(toReceiver.GetProperty("replacePeers").GetBoolean());
        Assert.Empty(messages.GetProperty("wg-sender").EnumerateArray());
        Assert.Empty(messages.GetProperty("wg-outsider").EnumerateArray());

        Assert.Contains(diff.GetProperty("latePeerPublicKey").GetString(), diff.Strings("peersAfter"));
        Assert.Equal(handshake, diff.GetProperty("after").GetProperty("handshakeUnix").GetInt64());
        Assert.True(diff.GetProperty("pingAfterUpdate").GetBoolean(), "the session broke after the update");
        Assert.Equal(handshake, diff.GetProperty("afterPing").GetProperty("handshakeUnix").GetInt64());
        Assert.True(diff.GetProperty("afterPing").GetProperty("rx").GetInt64() > diff.GetProperty("before").GetProperty("rx").GetInt64());
        var senderKey = diff.GetProperty("before").GetProperty("publicKey").GetString();
        Assert.Equal(handshake, long.Parse(Assert.Single(diff.WgPeers("wgDump"), peer => peer[0] == senderKey)[4]));
        Assert.Equal(2, diff.WgPeers("wgDump").Count);
    }

    [VmFact]
    public void ThreeHundredPeers_AreWrittenInSeveralMessages_AndReadBackWholeAndEqual()
    {
        var many = ProbeVm.Passed("many-peers");

        Assert.Equal(ManyPeers, many.GetProperty("desiredPeers").GetInt32());
        Assert.Equal(ManyPeers, many.GetProperty("readBackPeers").GetInt32());
        Assert.Equal(ManyPeers, many.GetProperty("wgDumpPeers").GetInt32());
        Assert.True(many.GetProperty("readBackEqualsDesired").GetBoolean(), many.GetProperty("firstReadBackDifference").ToString());
        Assert.True(many.GetProperty("wgDumpEqualsDesired").GetBoolean(), many.GetProperty("firstWgDumpDifference").ToString());
        Assert.True(many.GetProperty("publicKeyMatches").GetBoolean());

        var sets = many.GetProperty("setDeviceMessages").GetProperty("wg-many").EnumerateArray().ToList();
        Assert.True(sets.Count > 1, $"300 peers went in {sets.Count} SET_DEVICE message");
        Assert.Equal(ManyPeers, sets.Sum(m => m.GetProperty("peers").GetInt32()));
        Assert.All(sets, m => Assert.InRange(m.GetProperty("bytes").GetInt32(), 1, SetDeviceBudget));
        var gets = many.GetProperty("getDeviceReplies").GetProperty("wg-many").EnumerateArray().ToList();
        Assert.True(gets.Count > 1, $"the kernel answered 300 peers in {gets.Count} message");
        Assert.Equal(ManyPeers, gets.Sum(m => m.GetProperty("peers").GetInt32()));

        output.WriteLine($"SET_DEVICE: {sets.Count} messages, peers per message [{string.Join(", ", sets.Select(m => m.GetProperty("peers").GetInt32()))}], " +
            $"bytes [{string.Join(", ", sets.Select(m => m.GetProperty("bytes").GetInt32()))}]");
        output.WriteLine($"GET_DEVICE replies: {gets.Count} messages, peers per message [{string.Join(", ", gets.Select(m => m.GetProperty("peers").GetInt32()))}], " +
            $"bytes [{string.Join(", ", gets.Select(m => m.GetProperty("bytes").GetInt32()))}]");
    }

    [VmFact]
    public void Removal_LeavesNoNamespaceAndNoWireGuardLink()
    {
        var removal = ProbeVm.Passed("removal");

        Assert.True(removal.GetProperty("succeeded").GetBoolean());
        foreach (var app in new[] { "receiver", "sender", "outsider", "many" })
        {
            Assert.Contains($"namespace {app} of vm/{app}", removal.Strings("removed"));
        }

        Assert.Empty(removal.Strings("namespacesLeft"));
        Assert.Empty(removal.Strings("wireguardLinksLeft"));
        // iproute2 agrees: no wireguard link (`[]`) and no namespace (no line).
        Assert.Equal(["[]"], ProbeVm.Console.Section("after-apps").Where(line => line.Length > 0));
    }

    [VmFact]
    public void AllScenarios_RanInOneBoot()
    {
        var records = ProbeVm.Console.ProbeRecords();
        var failed = records.Where(r => !r.GetProperty("ok").GetBoolean()).Select(r => r.GetProperty("scenario").GetString());

        Assert.Empty(failed);
        output.WriteLine($"{records.Count} scenarios ran in one boot (guest uptime when each ended): " +
            string.Join(", ", records.Select(r => $"{r.GetProperty("scenario").GetString()} {r.GetProperty("uptime").GetString()} s")));
        output.WriteLine(ProbeVm.Console.Timing);
    }
}
