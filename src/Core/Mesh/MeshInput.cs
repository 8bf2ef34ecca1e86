using System.Net;
using WgIsolate.Core.Api;

namespace WgIsolate.Core.Mesh;

/// <summary>One app as the mesh sees it: what it asked for, its allocation, and where its instances run.</summary>
public sealed record MeshApp(AppReference Ref, IsolatedAppSpec Spec, int AppId, IReadOnlyList<MeshInstance> Instances);

/// <param name="PublicKey">Published by the instance's node agent; null until then (the instance is then no
/// one's peer yet, because a peer without a key cannot be configured).</param>
public sealed record MeshInstance(
    string Name,
    string Node,
    string Netns,
    string InterfaceName,
    IPAddress Address,
    int AddressPrefixLength,
    int ListenPort,
    string? PublicKey);

/// <param name="NodeAddresses">The address peers reach each node at; a node missing here gives its instances
/// no endpoint (they can still be reached once they roam in, WireGuard learns endpoints from traffic).</param>
/// <param name="PresharedKeySecret">Name of the Secret holding per-link preshared keys.</param>
public sealed record MeshOptions(IPNetwork ClusterPrefix, IReadOnlyDictionary<string, IPAddress> NodeAddresses, string PresharedKeySecret);
