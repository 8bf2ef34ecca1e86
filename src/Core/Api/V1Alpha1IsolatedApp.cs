using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace WgIsolate.Core.Api;

/// <summary>An application whose instances each get a network namespace reachable only through WireGuard.</summary>
public sealed class V1Alpha1IsolatedApp : IKubernetesObject<V1ObjectMeta>, ISpec<IsolatedAppSpec>, IStatus<IsolatedAppStatus?>
{
    public const string KubeKind = "IsolatedApp";
    public const string KubePluralName = "isolatedapps";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = ApiGroup.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KubeKind;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public IsolatedAppSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public IsolatedAppStatus? Status { get; set; }
}

public sealed class IsolatedAppSpec
{
    /// <summary>Kubernetes only: the pods that are this app's instances. Ignored in host mode.</summary>
    [JsonPropertyName("selector")] public V1LabelSelector? Selector { get; set; }

    /// <summary>Apps this one consents to talk to; a link exists only when both list each other.</summary>
    [JsonPropertyName("peers")] public List<PeerReference> Peers { get; set; } = [];

    /// <summary>Fixed host UDP port (single instance only); allocated when absent.</summary>
    [JsonPropertyName("listenPort")] public int? ListenPort { get; set; }

    /// <summary>Ask for a preshared key on every link of this app.</summary>
    [JsonPropertyName("presharedKey")] public bool? PresharedKey { get; set; }

    /// <summary>WireGuard persistent keepalive in seconds; off when absent.</summary>
    [JsonPropertyName("persistentKeepalive")] public int? PersistentKeepalive { get; set; }

    [JsonPropertyName("egress")] public EgressSpec? Egress { get; set; }
    [JsonPropertyName("firewall")] public FirewallSpec? Firewall { get; set; }
    [JsonPropertyName("ingress")] public List<IngressSpec> Ingress { get; set; } = [];
}

public sealed class PeerReference
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";

    /// <summary>Namespace of the peer app; the app's own namespace when absent.</summary>
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
}

/// <summary>Optional way out besides WireGuard: a veth pair to the host with IPv6 (and optionally IPv4) routes.</summary>
public sealed class EgressSpec
{
    [JsonPropertyName("veth")] public bool Veth { get; set; }
    [JsonPropertyName("ipv4")] public bool Ipv4 { get; set; }

    /// <summary>Routes inside the namespace via the veth: "default" (IPv6), "default4" (IPv4), or CIDR prefixes.</summary>
    [JsonPropertyName("routes")] public List<string> Routes { get; set; } = [];

    /// <summary>A network reached through the WireGuard link in addition to the cluster /48.</summary>
    [JsonPropertyName("serverNetwork")] public string? ServerNetwork { get; set; }

    /// <summary>Masquerade the app's egress traffic on the host (an nftables table owned by WgIsolate).</summary>
    [JsonPropertyName("nat")] public bool Nat { get; set; }
}

public sealed class FirewallSpec
{
    /// <summary>An nftables ruleset loaded inside the app's namespace, replaced whole on change.</summary>
    [JsonPropertyName("nftables")] public string? Nftables { get; set; }
}

public sealed class IngressSpec
{
    /// <summary>Port the app listens on inside its namespace (on [::1]).</summary>
    [JsonPropertyName("port")] public int Port { get; set; }

    /// <summary>Port opened on the host that forwards into the namespace.</summary>
    [JsonPropertyName("hostPort")] public int HostPort { get; set; }

    [JsonPropertyName("protocol")] public string Protocol { get; set; } = IngressProtocol.Tcp;
}

public static class IngressProtocol
{
    public const string Tcp = "TCP";
    public const string Udp = "UDP";
}

public sealed class IsolatedAppStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("subnet")] public string? Subnet { get; set; }
    [JsonPropertyName("instances")] public List<InstanceStatus> Instances { get; set; } = [];
    [JsonPropertyName("peers")] public List<PeerStatus> Peers { get; set; } = [];
    [JsonPropertyName("conditions")] public List<V1Condition> Conditions { get; set; } = [];
}

public sealed class InstanceStatus
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("node")] public string? Node { get; set; }
    [JsonPropertyName("address")] public string? Address { get; set; }
    [JsonPropertyName("publicKey")] public string? PublicKey { get; set; }
    [JsonPropertyName("endpoint")] public string? Endpoint { get; set; }
    [JsonPropertyName("netns")] public string? Netns { get; set; }
    [JsonPropertyName("ready")] public bool Ready { get; set; }
}

public sealed class PeerStatus
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("namespace")] public string Namespace { get; set; } = "";

    /// <summary>One of <see cref="PeerStates"/>.</summary>
    [JsonPropertyName("state")] public string State { get; set; } = PeerStates.NotFound;
}

public static class PeerStates
{
    /// <summary>Both apps list each other: the link exists.</summary>
    public const string Connected = "Connected";

    /// <summary>This app lists the peer, the peer does not list it back.</summary>
    public const string WaitingForAcceptance = "WaitingForAcceptance";

    /// <summary>No app of that name exists.</summary>
    public const string NotFound = "NotFound";
}

public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
}
