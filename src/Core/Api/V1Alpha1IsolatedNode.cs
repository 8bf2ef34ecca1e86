using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WgIsolate.Core.Api;

/// <summary>
/// One per node, named after it. The operator owns <see cref="Spec"/> (what the node must realise);
/// the node agent owns <see cref="Status"/> (what it realised, including the public keys it generated).
/// </summary>
public sealed class V1Alpha1IsolatedNode : IKubernetesObject<V1ObjectMeta>, ISpec<IsolatedNodeSpec>, IStatus<IsolatedNodeStatus?>
{
    public const string KubeKind = "IsolatedNode";
    public const string KubePluralName = "isolatednodes";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = ApiGroup.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KubeKind;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public IsolatedNodeSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public IsolatedNodeStatus? Status { get; set; }
}

public sealed class IsolatedNodeSpec
{
    /// <summary>The cluster ULA /48, routed through every WireGuard interface.</summary>
    [JsonPropertyName("clusterPrefix")] public string ClusterPrefix { get; set; } = "";

    [JsonPropertyName("interfaces")] public List<NodeInterfaceSpec> Interfaces { get; set; } = [];
}

/// <summary>Identifies an app across namespaces.</summary>
public sealed record AppReference
{
    [JsonPropertyName("namespace")] public string Namespace { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";

    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>One instance of an app on this node: its namespace, WireGuard link and peers.</summary>
public sealed class NodeInterfaceSpec
{
    [JsonPropertyName("app")] public AppReference App { get; set; } = new();

    /// <summary>The app's stable numeric id (drives the egress IPv4 /30).</summary>
    [JsonPropertyName("appId")] public int AppId { get; set; }

    /// <summary>Instance name: the pod's name on Kubernetes, the app's name in host mode.</summary>
    [JsonPropertyName("instance")] public string Instance { get; set; } = "";

    /// <summary>Path of the named network namespace, e.g. /run/netns/receiver.</summary>
    [JsonPropertyName("netns")] public string Netns { get; set; } = "";

    [JsonPropertyName("interfaceName")] public string InterfaceName { get; set; } = "";

    /// <summary>The instance's address with the app's prefix length, e.g. fd69:2d8e:610a:1::1/64.</summary>
    [JsonPropertyName("address")] public string Address { get; set; } = "";

    [JsonPropertyName("listenPort")] public int ListenPort { get; set; }

    [JsonPropertyName("persistentKeepalive")] public int? PersistentKeepalive { get; set; }
    [JsonPropertyName("egress")] public EgressSpec? Egress { get; set; }
    [JsonPropertyName("firewall")] public FirewallSpec? Firewall { get; set; }
    [JsonPropertyName("ingress")] public List<IngressSpec> Ingress { get; set; } = [];
    [JsonPropertyName("peers")] public List<NodePeerSpec> Peers { get; set; } = [];
}

public sealed class NodePeerSpec
{
    [JsonPropertyName("app")] public AppReference App { get; set; } = new();
    [JsonPropertyName("instance")] public string Instance { get; set; } = "";
    [JsonPropertyName("publicKey")] public string PublicKey { get; set; } = "";

    /// <summary>"[node address]:port"; absent until the peer's node is known.</summary>
    [JsonPropertyName("endpoint")] public string? Endpoint { get; set; }

    [JsonPropertyName("allowedIPs")] public List<string> AllowedIPs { get; set; } = [];

    /// <summary>Where the link's preshared key lives; absent when the link has none.</summary>
    [JsonPropertyName("presharedKeyRef")] public SecretKeyReference? PresharedKeyRef { get; set; }

    [JsonPropertyName("persistentKeepalive")] public int? PersistentKeepalive { get; set; }
}

public sealed class SecretKeyReference
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("key")] public string Key { get; set; } = "";
}

public sealed class IsolatedNodeStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("interfaces")] public List<NodeInterfaceStatus> Interfaces { get; set; } = [];
    [JsonPropertyName("conditions")] public List<V1Condition> Conditions { get; set; } = [];
}

public sealed class NodeInterfaceStatus
{
    [JsonPropertyName("app")] public AppReference App { get; set; } = new();
    [JsonPropertyName("instance")] public string Instance { get; set; } = "";
    [JsonPropertyName("interfaceName")] public string InterfaceName { get; set; } = "";

    /// <summary>Generated on the node; the private key never leaves it.</summary>
    [JsonPropertyName("publicKey")] public string? PublicKey { get; set; }

    [JsonPropertyName("ready")] public bool Ready { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("peers")] public List<NodePeerStatus> Peers { get; set; } = [];
}

public sealed class NodePeerStatus
{
    [JsonPropertyName("publicKey")] public string PublicKey { get; set; } = "";
    [JsonPropertyName("endpoint")] public string? Endpoint { get; set; }
    [JsonPropertyName("lastHandshake")] public DateTimeOffset? LastHandshake { get; set; }
    [JsonPropertyName("rxBytes")] public long RxBytes { get; set; }
    [JsonPropertyName("txBytes")] public long TxBytes { get; set; }
}
