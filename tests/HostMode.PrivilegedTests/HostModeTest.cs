using System.CommandLine;
using System.Text.Json;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.NodeAgent.Cli;
using WgIsolate.NodeAgent.HostMode.Runtime;

namespace WgIsolate.HostMode.PrivilegedTests;

/// <summary>
/// A folder of apps and a state directory of the test's own: apps are named with a random suffix (names become
/// namespaces and links), ports are random, and Dispose runs `down` for the state directory, which removes
/// exactly what this test's `up` made, even after a failure.
/// </summary>
public abstract class HostModeTest : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("wgisolate-hostmode-").FullName;
    private readonly string suffix = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 2));
    private readonly int portBase = 30000 + Random.Shared.Next(0, 3000) * 10;

    protected HostModeTest()
    {
        PrivilegedEnvironment.RequireRoot();
        Assert.True(Datapath.WireGuard.Userspace.WireGuardGo.FindOnPath() is not null, "wireguard-go is not installed (Debian package wireguard-go)");
        Directory.CreateDirectory(Folder);
    }

    protected string Folder => Path.Combine(root, "apps");

    protected string State => Path.Combine(root, "state");

    /// <summary>The test's unique name for a role: "receiver" becomes e.g. "receiver3fa1".</summary>
    protected string Name(string role) => role + suffix;

    /// <summary>A port of the test's own range (the apps' listen ports use the first few).</summary>
    protected int Port(int offset) => portBase + offset;

    /// <summary>Writes an IsolatedApp listing the given peers (by role).</summary>
    protected void WriteApp(string role, int portOffset, params string[] peerRoles) => WriteApp(role, portOffset, peerRoles, extraSpec: null);

    /// <param name="extraSpec">More lines of the spec, already indented by two spaces.</param>
    protected void WriteApp(string role, int portOffset, string[] peerRoles, string? extraSpec)
    {
        var peers = string.Join(", ", peerRoles.Select(p => "{name: " + Name(p) + "}"));
        File.WriteAllText(Path.Combine(Folder, role + ".yaml"), string.Join('\n',
            "apiVersion: wgisolate.io/v1alpha1",
            "kind: IsolatedApp",
            $"metadata: {{name: {Name(role)}, namespace: demo}}",
            "spec:",
            $"  selector: {{matchLabels: {{app: {role}}}}}",
            $"  listenPort: {portBase + portOffset}",
            $"  peers: [{peers}]") + "\n" + (extraSpec is null ? "" : extraSpec + "\n"));
    }

    /// <summary>The seed's demo: receiver and sender list each other; the outsider lists the receiver only.</summary>
    protected void WriteDemo()
    {
        WriteApp("receiver", 0, "sender");
        WriteApp("sender", 1, "receiver");
        WriteApp("outsider", 2, "receiver");
    }

    protected static (int Code, string Output, string Error) Wgisolate(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = WgIsolateCli.Root().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    protected (int Code, string Output, string Error) UpOnce(params string[] extra) =>
        Wgisolate(["up", "--once", "--manifests", Folder, "--state", State, "--endpoint-address", "::1", .. extra]);

    protected void UpOnceAndAssert()
    {
        var (code, output, error) = UpOnce();
        Assert.True(code == ExitCodes.Ok, $"up exited {code}: {output}{error}");
    }

    /// <summary>`status --json`, by app name.</summary>
    protected Dictionary<string, JsonElement> Status()
    {
        var (_, output, error) = Wgisolate("status", "--state", State, "--json");
        Assert.True(output.TrimStart().StartsWith('['), $"status printed no JSON: {output}{error}");
        return JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("app").GetString()!.Split('/')[1]);
    }

    protected string AddressOf(string role) => Status()[Name(role)].GetProperty("address").GetString()!.Split('/')[0];

    protected static bool Ping(string fromNetns, string address) =>
        Ip.TryRun("ip", $"netns exec {fromNetns} ping -6 -c 1 -W 2 {address}").ExitCode == 0;

    protected static IReadOnlyList<string> LinksIn(string netns) =>
        Ip.Json(netns, "link show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(State))
            {
                using var session = HostSession.Open(State);
                var report = session.Down([]);
                Assert.True(report.Succeeded, report.HostError);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
