using System.Net;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.NodeAgent.Cli;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.HostMode.PrivilegedTests;

public class UpTests : HostModeTest
{
    [PrivilegedFact]
    public void Up_SeedDemo_SenderReachesReceiverByPingAndNc_OutsiderIsRefused_EachNamespaceHoldsOnlyLoAndWireGuard()
    {
        WriteDemo();

        UpOnceAndAssert();

        var receiver = AddressOf("receiver");
        Assert.True(Ping(Name("sender"), receiver), "sender -> receiver ping");
        Assert.Equal("hello", Traffic.TcpExchange(Name("sender"), Name("receiver"), IPAddress.Parse(receiver), 1234, "hello").Received);
        Assert.False(Ping(Name("outsider"), receiver), "the outsider is not the receiver's peer");
        foreach (var role in new[] { "receiver", "sender", "outsider" })
        {
            Assert.Equal(["lo", "wg-" + Name(role)], LinksIn(Name(role)));
        }

        var status = Status();
        Assert.Equal("WaitingForAcceptance", status[Name("outsider")].GetProperty("peers")[0].GetProperty("state").GetString());
        Assert.All(status.Values, app => Assert.True(app.GetProperty("isolated").GetBoolean()));
    }

    [PrivilegedFact]
    public void Up_SameFolderAgain_ChangesNothingAndSaysSo()
    {
        WriteDemo();
        UpOnceAndAssert();

        var (code, output, _) = UpOnce();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("no changes: the host already matches the folder", output);
    }

    [PrivilegedFact]
    public void Up_InvalidFileNextToAValidOne_ExitsTwoNamingFileAndFieldAndAppliesNothing()
    {
        WriteApp("receiver", 0);
        File.WriteAllText(Path.Combine(Folder, "broken.yaml"), $"apiVersion: wgisolate.io/v1alpha1\nkind: IsolatedApp\nmetadata: {{name: {Name("broken")}}}\nspec: {{listenPort: 70000}}\n");

        var (code, output, error) = UpOnce();

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("broken.yaml", error);
        Assert.Contains("spec.listenPort", error);
        Assert.Contains("nothing was applied", error);
        Assert.DoesNotContain(Name("receiver"), Ip.Run("ip", "netns list"));
        Assert.False(File.Exists(Path.Combine(State, "allocations.json")), output);
    }

    [PrivilegedFact]
    public void Up_WithSkipInvalid_AppliesTheValidFileOnly()
    {
        WriteApp("receiver", 0);
        File.WriteAllText(Path.Combine(Folder, "broken.yaml"), "kind: IsolatedApp\n");

        var (code, _, error) = UpOnce("--skip-invalid");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("those files are skipped", error);
        Assert.Equal(["lo", "wg-" + Name("receiver")], LinksIn(Name("receiver")));
    }

    [PrivilegedFact]
    public void Up_WhileAnotherProcessHoldsTheState_RefusesWithAClearMessage()
    {
        WriteApp("receiver", 0);
        Directory.CreateDirectory(State);
        using (StateLock.Acquire(State))
        {
            var (code, _, error) = UpOnce();

            Assert.Equal(ExitCodes.Failed, code);
            Assert.Contains($"another wgisolate process is using the state directory {State}", error);
        }
    }

    [PrivilegedFact]
    public void Up_AppRemovedFromTheFolder_IsRemovedFromTheHostAndTheState()
    {
        WriteDemo();
        UpOnceAndAssert();
        File.Delete(Path.Combine(Folder, "outsider.yaml"));

        var (code, output, _) = UpOnce();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"removed namespace {Name("outsider")}", output);
        Assert.DoesNotContain(Name("outsider"), Ip.Run("ip", "netns list"));
        Assert.DoesNotContain(Name("outsider"), File.ReadAllText(Path.Combine(State, "allocations.json")));
        Assert.False(File.Exists(Path.Combine(State, "keys", Name("outsider") + ".key")));
        Assert.Empty(WireGuardGoProcesses.AfterExitOf("wg-" + Name("outsider")));
    }

    [PrivilegedFact]
    public void Tampering_IsReportedByStatusAndRepairedByTheNextUp()
    {
        WriteDemo();
        UpOnceAndAssert();
        var receiver = Name("receiver");
        Ip.Run("ip", $"link add t{receiver} type veth peer name x{receiver} netns {receiver}");
        Ip.Run("ip", $"-n {receiver} route add 2001:db8::/32 dev wg-{receiver}");

        var status = Status()[receiver];
        var (statusCode, _, _) = Wgisolate("status", "--state", State);

        Assert.False(status.GetProperty("isolated").GetBoolean());
        Assert.Contains(status.GetProperty("deviations").EnumerateArray(), d => d.GetString() == $"unexpected link x{receiver} (veth)");
        Assert.Equal(ExitCodes.Failed, statusCode);

        UpOnceAndAssert();
        Assert.True(Status()[receiver].GetProperty("isolated").GetBoolean());
        Assert.Equal(["lo", "wg-" + receiver], LinksIn(receiver));
        Ip.TryRun("ip", $"link del t{receiver}");
    }

    [PrivilegedFact]
    public void Down_OneApp_LeavesNothingOfItAndKeepsTheOthers()
    {
        WriteDemo();
        UpOnceAndAssert();

        var (code, output, error) = Wgisolate("down", "--state", State, Name("outsider"));

        Assert.True(code == ExitCodes.Ok, output + error);
        Assert.DoesNotContain(Name("outsider"), Ip.Run("ip", "netns list"));
        Assert.DoesNotContain(Ip.Json(null, "link show").EnumerateArray(), l => l.GetProperty("ifname").GetString()!.Contains(Name("outsider"), StringComparison.Ordinal));
        Assert.Empty(WireGuardGoProcesses.AfterExitOf("wg-" + Name("outsider")));
        Assert.DoesNotContain(Name("outsider"), File.ReadAllText(Path.Combine(State, "allocations.json")));
        Assert.True(Ping(Name("sender"), AddressOf("receiver")), "the other apps keep working");
    }

    [PrivilegedFact]
    public void Down_UnknownApp_ExitsTwoAndRemovesNothing()
    {
        WriteApp("receiver", 0);
        UpOnceAndAssert();

        var (code, _, error) = Wgisolate("down", "--state", State, Name("nosuch"));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"no app named {Name("nosuch")}", error);
        Assert.Contains(Name("receiver"), Ip.Run("ip", "netns list"));
    }

    [PrivilegedFact]
    public void Up_ListenPortAlreadyTakenOnTheHost_FailsThatAppOnlyWithAClearError()
    {
        WriteApp("receiver", 0);
        WriteApp("sender", 1);
        var taken = int.Parse(File.ReadAllLines(Path.Combine(Folder, "sender.yaml")).Single(l => l.Contains("listenPort", StringComparison.Ordinal)).Split(':')[1].Trim());
        using var squatter = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetworkV6, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp) { DualMode = true };
        squatter.Bind(new IPEndPoint(IPAddress.IPv6Any, taken));

        var (code, output, _) = UpOnce();

        Assert.Equal(ExitCodes.Failed, code);
        // The summary table comes last: its row is the app's last line.
        var senderLine = output.Split('\n').Last(l => l.StartsWith("demo/" + Name("sender"), StringComparison.Ordinal));
        Assert.Contains("failed: configuring wg-" + Name("sender"), senderLine);
        Assert.Contains("address already in use", senderLine.ToLowerInvariant());
        Assert.EndsWith("isolated", output.Split('\n').Last(l => l.StartsWith("demo/" + Name("receiver"), StringComparison.Ordinal)).TrimEnd());
    }

    [PrivilegedFact]
    public void PresharedKeyLink_UsesOneKeyOnBothEnds_AndItsFileGoesWithTheLink()
    {
        WriteApp("receiver", 0, ["sender"], "  presharedKey: true");
        WriteApp("sender", 1, "receiver");
        UpOnceAndAssert();
        var psk = Path.Combine(State, "psk");
        Assert.Single(Directory.GetFiles(psk));
        var key = File.ReadAllText(Directory.GetFiles(psk)[0]).Trim();
        foreach (var role in new[] { "receiver", "sender" })
        {
            var dump = Ip.Run("ip", $"netns exec {Name(role)} wg show wg-{Name(role)} preshared-keys");
            Assert.Contains(key, dump);
        }

        Assert.True(Ping(Name("sender"), AddressOf("receiver")), "the link with a preshared key must carry traffic");
        File.Delete(Path.Combine(Folder, "sender.yaml"));
        UpOnceAndAssert();

        Assert.Empty(Directory.GetFiles(psk));
    }

    [PrivilegedFact]
    public void Up_AgainAfterAPeerRoamed_LeavesItWhereWireGuardFoundIt_ButAppliesAChangedDesiredEndpoint()
    {
        WriteApp("receiver", 0, "sender");
        WriteApp("sender", 1, "receiver");
        UpOnceAndAssert();
        var receiver = "wg-" + Name("receiver");
        var senderKey = Ip.Run("wg", $"show wg-{Name("sender")} public-key").Trim();
        var roamed = $"[::1]:{Port(9)}";
        // What WireGuard itself does when the sender's packets start to come from another address.
        Ip.Run("wg", $"set {receiver} peer {senderKey} endpoint {roamed}");

        var (code, output, error) = UpOnce();

        Assert.True(code == ExitCodes.Ok, $"up exited {code}: {output}{error}");
        Assert.Contains("no changes: the host already matches the folder", output);
        Assert.Equal(roamed, EndpointOf(receiver, senderKey));

        var (moved, movedOutput, movedError) = Wgisolate("up", "--once", "--manifests", Folder, "--state", State, "--endpoint-address", "127.0.0.1");

        Assert.True(moved == ExitCodes.Ok, $"up exited {moved}: {movedOutput}{movedError}");
        Assert.Equal($"127.0.0.1:{Port(1)}", EndpointOf(receiver, senderKey));
    }

    private static string EndpointOf(string device, string peerKey) =>
        Ip.Run("wg", $"show {device} endpoints").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')).Single(fields => fields[0] == peerKey)[1].Trim();
}
