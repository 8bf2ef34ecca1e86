using System.Globalization;
using System.Net;
using System.Text.Json;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Linux;
using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Kernel;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>
/// The agent's own path on a kernel with WireGuard: the backend the product's detector picks (not forced), the real
/// LinuxDataplane and Converger. Each scenario reports what it observed (its own read-backs beside `wg show dump`);
/// the host-side tests judge them. They run in order and build on each other, as one node's life would.
/// </summary>
public sealed class AppScenarios : IDisposable
{
    private const string TcpMessageText = "hello from sender over kernel WireGuard";
    private readonly GenlTraffic traffic = new();
    private readonly IWireGuardBackend backend;
    private readonly string detectedBecause;
    private readonly LinuxDataplane dataplane;
    private readonly Converger converger;
    private readonly AppNetwork sender = VmApps.Sender();
    private readonly AppNetwork outsider = VmApps.Outsider();
    private AppNetwork receiver = VmApps.Receiver();

    private AppScenarios()
    {
        using var host = RouteNetlink.Open();
        (backend, detectedBecause) = WireGuardBackends.Detect(host.Links, () => new KernelWireGuardBackend(traffic.Open));
        dataplane = new LinuxDataplane(backend, natTable: "wgisolate_nat_vm");
        converger = new Converger(dataplane, VmApps.Scope);
    }

    private static IPAddress ReceiverAddress => VmApps.Address(1, 1);

    private static IPAddress SenderAddress => VmApps.Address(1, 2);

    public static bool RunAll()
    {
        using var scenarios = new AppScenarios();
        return Scenarios.Run("demo", scenarios.Demo)
            & Scenarios.Run("readback", scenarios.ReadBack)
            & Scenarios.Run("isolation", scenarios.Isolation)
            & Scenarios.Run("diff-keeps-handshake", scenarios.DiffKeepsHandshake)
            & GoldenCaptures.RunAll(scenarios.backend)
            & Scenarios.Run("many-peers", scenarios.ManyPeers)
            & Scenarios.Run("removal", scenarios.Removal);
    }

    public void Dispose() => dataplane.Dispose();

    /// <summary>(a) The seed's demo: receiver and sender, links made in the root namespace and moved, ping and TCP.</summary>
    private Action<Utf8JsonWriter> Demo()
    {
        var report = Converge(receiver, sender);
        var rtt = InNamespace.Ping(sender.Netns, ReceiverAddress);
        var received = InNamespace.TcpMessage(sender.Netns, receiver.Netns, ReceiverAddress, 2345, TcpMessageText);
        var rootUdp = UdpPorts.InCurrentNamespace();
        return json =>
        {
            json.WriteString("backend", backend.Name);
            json.WriteString("reason", detectedBecause);
            Strings(json, "changes", report.Apps.SelectMany(a => a.Changes));
            foreach (var app in new[] { receiver, sender })
            {
                json.WriteStartObject(app.Netns);
                Strings(json, "links", dataplane.ListLinks(app.Netns).Select(l => $"{l.Name} {(l.Up ? "up" : "down")}"));
                Strings(json, "addresses", dataplane.ListAddresses(app.Netns, app.WireGuard.Name).Select(a => a.ToString()));
                Strings(json, "routes", dataplane.ListRoutes(app.Netns).Where(r => r.Origin == RouteOrigin.WgIsolate).Select(r => $"{r.Destination} dev {r.Device}"));
                json.WriteBoolean("listenPortInNamespace", dataplane.ListUdpPorts(app.Netns).Contains(app.WireGuard.Device.ListenPort));
                json.WriteBoolean("listenPortInRoot", rootUdp.Contains(app.WireGuard.Device.ListenPort));
                Strings(json, "wgDump", InNamespace.WgShowDump(app.Netns, app.WireGuard.Name));
                Strings(json, "isolationDeviations", IsolationCheck.Deviations(dataplane, app, dataplane.ListUdpPorts));
                json.WriteEndObject();
            }

            json.WriteString("senderPublicKey", WireGuardKeys.PublicKeyOf(VmApps.SenderKey));
            if (rtt is { } ms) json.WriteNumber("pingRttMs", ms); else json.WriteNull("pingRttMs");
            json.WriteString("tcpSent", TcpMessageText);
            json.WriteString("tcpReceived", received);
        };
    }

    /// <summary>(e) Handshake time and byte counters as the datapath reads them, bracketing wg's reading of the same.</summary>
    private Action<Utf8JsonWriter> ReadBack()
    {
        var before = dataplane.ReadWireGuard(receiver.Netns, receiver.WireGuard.Name).Peers.Single();
        var dump = InNamespace.WgShowDump(receiver.Netns, receiver.WireGuard.Name);
        var after = dataplane.ReadWireGuard(receiver.Netns, receiver.WireGuard.Name).Peers.Single();
        return json =>
        {
            Peer(json, "before", before);
            Peer(json, "after", after);
            Strings(json, "wgDump", dump);
        };
    }

    /// <summary>(b) An app that lists both as peers, listed by neither, reaches neither, and neither reaches it.</summary>
    private Action<Utf8JsonWriter> Isolation()
    {
        Converge(receiver, sender, outsider);
        var outsiderAddress = outsider.WireGuard.Address.Address;
        var probes = new (string Name, long? Rtt)[]
        {
            ("outsiderToReceiver", InNamespace.Ping(outsider.Netns, ReceiverAddress, TimeSpan.FromSeconds(1))),
            ("outsiderToSender", InNamespace.Ping(outsider.Netns, SenderAddress, TimeSpan.FromSeconds(1))),
            ("receiverToOutsider", InNamespace.Ping(receiver.Netns, outsiderAddress, TimeSpan.FromSeconds(1))),
            ("senderToReceiver", InNamespace.Ping(sender.Netns, ReceiverAddress)),
        };
        var tcp = InNamespace.TcpMessage(outsider.Netns, receiver.Netns, ReceiverAddress, 2346, "from the outsider", TimeSpan.FromSeconds(1));
        return json =>
        {
            json.WriteStartObject("pingReplied");
            foreach (var (name, rtt) in probes) json.WriteBoolean(name, rtt is not null);
            json.WriteEndObject();
            json.WriteString("tcpOutsiderToReceiver", tcp);
            json.WriteString("outsiderPublicKey", WireGuardKeys.PublicKeyOf(VmApps.OutsiderKey));
            Strings(json, "receiverWgDump", InNamespace.WgShowDump(receiver.Netns, receiver.WireGuard.Name));
            Strings(json, "outsiderWgDump", InNamespace.WgShowDump(outsider.Netns, outsider.WireGuard.Name));
        };
    }

    /// <summary>(c) A peer added to the receiver's list goes to the kernel as a diff: the sender's session is untouched.</summary>
    private Action<Utf8JsonWriter> DiffKeepsHandshake()
    {
        var senderKey = WireGuardKeys.PublicKeyOf(VmApps.SenderKey);
        var before = dataplane.ReadWireGuard(receiver.Netns, receiver.WireGuard.Name).Peers.Single(p => p.PublicKey == senderKey);
        var mark = traffic.Mark;
        receiver = VmApps.Receiver(VmApps.LatePeer);
        var report = Converge(receiver, sender, outsider);
        var sets = new[] { receiver, sender, outsider }.ToDictionary(a => a.WireGuard.Name, a => traffic.SetDevice(a.WireGuard.Name, mark));
        var after = dataplane.ReadWireGuard(receiver.Netns, receiver.WireGuard.Name);
        var rtt = InNamespace.Ping(sender.Netns, ReceiverAddress);
        var afterPing = dataplane.ReadWireGuard(receiver.Netns, receiver.WireGuard.Name).Peers.Single(p => p.PublicKey == senderKey);
        return json =>
        {
            Strings(json, "changes", report.Apps.SelectMany(a => a.Changes));
            Peer(json, "before", before);
            Peer(json, "after", after.Peers.Single(p => p.PublicKey == senderKey));
            Peer(json, "afterPing", afterPing);
            json.WriteBoolean("pingAfterUpdate", rtt is not null);
            Strings(json, "peersAfter", after.Peers.Select(p => p.PublicKey));
            json.WriteString("latePeerPublicKey", VmApps.LatePeer.PublicKey);
            json.WriteStartObject("setDeviceMessages");
            foreach (var (device, messages) in sets) Messages(json, device, messages);
            json.WriteEndObject();
            Strings(json, "wgDump", InNamespace.WgShowDump(receiver.Netns, receiver.WireGuard.Name));
        };
    }

    /// <summary>(d) 300 peers: written in several SET_DEVICE messages, read back from several replies, whole and equal.</summary>
    private Action<Utf8JsonWriter> ManyPeers()
    {
        var many = VmApps.WithManyPeers();
        var setMark = traffic.Mark;
        Converge(receiver, sender, outsider, many);
        var sets = traffic.SetDevice(many.WireGuard.Name, setMark);
        var getMark = traffic.Mark;
        var readBack = dataplane.ReadWireGuard(many.Netns, many.WireGuard.Name);
        var gets = traffic.GetDeviceReplies(getMark);
        var dump = InNamespace.WgShowDump(many.Netns, many.WireGuard.Name);

        var desired = Canonical(many.WireGuard.Device.Peers.Select(p => (p.PublicKey, p.Endpoint?.ToString(), p.AllowedIPs.Select(a => a.ToString()))));
        var own = Canonical(readBack.Peers.Select(p => (p.PublicKey, p.Endpoint?.ToString(), p.AllowedIPs.Select(a => a.ToString()))));
        var wg = Canonical(dump.Skip(1).Select(line => line.Split('\t')).Select(f => (f[0], (string?)f[2], f[3].Split(',').AsEnumerable())));
        return json =>
        {
            json.WriteNumber("desiredPeers", desired.Count);
            json.WriteNumber("readBackPeers", own.Count);
            json.WriteNumber("wgDumpPeers", wg.Count);
            json.WriteBoolean("readBackEqualsDesired", own.SequenceEqual(desired));
            json.WriteBoolean("wgDumpEqualsDesired", wg.SequenceEqual(desired));
            json.WriteString("firstReadBackDifference", own.Except(desired).FirstOrDefault());
            json.WriteString("firstWgDumpDifference", wg.Except(desired).FirstOrDefault());
            json.WriteBoolean("publicKeyMatches", readBack.PublicKey == WireGuardKeys.PublicKeyOf(VmApps.ManyPeersKey));
            json.WriteStartObject("setDeviceMessages");
            Messages(json, many.WireGuard.Name, sets);
            json.WriteEndObject();
            json.WriteStartObject("getDeviceReplies");
            Messages(json, many.WireGuard.Name, gets);
            json.WriteEndObject();
        };
    }

    /// <summary>(f) Converging to nothing removes every namespace and WireGuard link the scenarios made.</summary>
    private Action<Utf8JsonWriter> Removal()
    {
        var report = converger.Converge([]);
        using var root = RouteNetlink.Open();
        var links = root.Links.List().Where(l => l.Kind == "wireguard").Select(l => l.Name).ToArray();
        return json =>
        {
            json.WriteBoolean("succeeded", report.Succeeded);
            Strings(json, "removed", report.Removed);
            Strings(json, "namespacesLeft", NamedNetworkNamespaces.List());
            Strings(json, "wireguardLinksLeft", links);
        };
    }

    private ConvergeReport Converge(params AppNetwork[] apps)
    {
        var report = converger.Converge(apps);
        if (!report.Succeeded)
        {
            throw new InvalidOperationException("convergence failed: " + string.Join("; ",
                report.Apps.Where(a => a.Error is not null).Select(a => $"{a.Owner}: {a.Error}").Append(report.HostError ?? "")));
        }

        return report;
    }

    private static List<string> Canonical(IEnumerable<(string Key, string? Endpoint, IEnumerable<string> AllowedIPs)> peers) =>
        [.. peers.Select(p => $"{p.Key} {p.Endpoint} {string.Join(',', p.AllowedIPs.Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal)];

    private static void Peer(Utf8JsonWriter json, string name, WireGuardPeer peer)
    {
        json.WriteStartObject(name);
        json.WriteString("publicKey", peer.PublicKey);
        if (peer.LastHandshake is { } handshake) json.WriteNumber("handshakeUnix", handshake.ToUnixTimeSeconds()); else json.WriteNull("handshakeUnix");
        json.WriteString("handshake", peer.LastHandshake?.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("rx", peer.ReceivedBytes);
        json.WriteNumber("tx", peer.TransmittedBytes);
        json.WriteEndObject();
    }

    private static void Messages(Utf8JsonWriter json, string device, IReadOnlyList<MessageShape> messages)
    {
        json.WriteStartArray(device);
        foreach (var message in messages)
        {
            json.WriteStartObject();
            json.WriteNumber("peers", message.Peers);
            json.WriteNumber("bytes", message.Bytes);
            json.WriteBoolean("replacePeers", message.ReplacePeers);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
