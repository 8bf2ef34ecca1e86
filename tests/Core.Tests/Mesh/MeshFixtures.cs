using System.Net;
using WgIsolate.Core.Api;
using WgIsolate.Core.Mesh;

namespace WgIsolate.Core.Tests.Mesh;

internal static class MeshFixtures
{
    public static readonly MeshOptions Options = new(
        IPNetwork.Parse("fd00:1:2::/48"),
        new Dictionary<string, IPAddress> { ["node-1"] = IPAddress.Parse("2001:db8::10"), ["node-2"] = IPAddress.Parse("192.0.2.20") },
        "wgisolate-psk");

    public static AppReference Ref(string name, string ns = "demo") => new() { Namespace = ns, Name = name };

    public static MeshApp App(string name, int id, string[] peers, params MeshInstance[] instances) =>
        new(Ref(name), new IsolatedAppSpec { Peers = peers.Select(p => new PeerReference { Name = p }).ToList() }, id, instances);

    public static MeshInstance Instance(string name, string node, int subnet, int host, int port, bool keyed = true) =>
        new(name, node, $"ns-{name}", $"wg-{name}", IPAddress.Parse($"fd00:1:2:{subnet:x}::{host:x}"), 64, port, keyed ? $"{name}-key" : null);
}
