using System.Net.Sockets;
using System.Text.RegularExpressions;
using WgIsolate.Core.Api;

namespace WgIsolate.Core.Validation;

/// <summary>
/// The semantic rules of an IsolatedApp, shared by host mode (files) and the operator (objects from the API).
/// Reports every problem with its field path; an app with any problem must not be applied at all.
/// </summary>
public static partial class IsolatedAppValidator
{
    public const string DefaultRoute = "default";
    public const string DefaultRoute4 = "default4";

    public static IReadOnlyList<FieldError> Validate(V1Alpha1IsolatedApp app, ValidationOptions options)
    {
        var errors = new List<FieldError>();
        var name = app.Metadata?.Name;
        var ns = app.Metadata?.NamespaceProperty ?? "default";
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new("metadata.name", "is required"));
        }
        else if (!IsDnsLabel(name))
        {
            errors.Add(new("metadata.name", $"\"{name}\" is not a DNS-1123 label (lowercase letters, digits and '-', at most 63, starting and ending alphanumeric)"));
        }

        var spec = app.Spec ?? new IsolatedAppSpec();
        if (options.RequireSelector && spec.Selector is null)
        {
            errors.Add(new("spec.selector", "is required on Kubernetes: it says which pods are this app's instances"));
        }

        ValidatePeers(spec, name, ns, errors);
        Port(spec.ListenPort, "spec.listenPort", errors);
        if (spec.PersistentKeepalive is < 0 or > 65535)
        {
            errors.Add(new("spec.persistentKeepalive", $"{spec.PersistentKeepalive} is outside 0..65535 seconds"));
        }

        if (spec.Egress is { } egress)
        {
            ValidateEgress(egress, errors);
        }

        if (spec.Firewall is { Nftables: { } rules } && string.IsNullOrWhiteSpace(rules))
        {
            errors.Add(new("spec.firewall.nftables", "is empty; leave firewall out for no ruleset"));
        }

        ValidateIngress(spec.Ingress, errors);
        return errors;
    }

    public static bool IsDnsLabel(string value) => value.Length <= 63 && DnsLabel().IsMatch(value);

    private static void ValidatePeers(IsolatedAppSpec spec, string? name, string ns, List<FieldError> errors)
    {
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < spec.Peers.Count; i++)
        {
            var peer = spec.Peers[i];
            var path = $"spec.peers[{i}]";
            if (string.IsNullOrEmpty(peer.Name))
            {
                errors.Add(new($"{path}.name", "is required"));
                continue;
            }

            if (!IsDnsLabel(peer.Name))
            {
                errors.Add(new($"{path}.name", $"\"{peer.Name}\" is not a DNS-1123 label"));
            }

            if (peer.Namespace is { } peerNs && !IsDnsLabel(peerNs))
            {
                errors.Add(new($"{path}.namespace", $"\"{peerNs}\" is not a DNS-1123 label"));
            }

            var key = (peer.Namespace ?? ns, peer.Name);
            if (peer.Name == name && key.Item1 == ns)
            {
                errors.Add(new($"{path}.name", "an app cannot list itself as a peer"));
            }
            else if (!seen.Add(key))
            {
                errors.Add(new(path, $"{key.Item1}/{key.Item2} is listed twice"));
            }
        }
    }

    private static void ValidateEgress(EgressSpec egress, List<FieldError> errors)
    {
        if (!egress.Veth)
        {
            foreach (var (set, field) in new[] { (egress.Ipv4, "ipv4"), (egress.Nat, "nat"), (egress.Routes.Count > 0, "routes") })
            {
                if (set)
                {
                    errors.Add(new($"spec.egress.{field}", "needs spec.egress.veth: true (egress goes through the veth pair)"));
                }
            }
        }

        for (var i = 0; i < egress.Routes.Count; i++)
        {
            var route = egress.Routes[i];
            var path = $"spec.egress.routes[{i}]";
            if (route == DefaultRoute)
            {
                continue;
            }

            var ipv4 = route == DefaultRoute4;
            if (!ipv4)
            {
                if (!Cidr.TryParse(route, out var network, out var problem))
                {
                    errors.Add(new(path, problem!));
                    continue;
                }

                ipv4 = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
            }

            if (ipv4 && !egress.Ipv4)
            {
                errors.Add(new(path, $"\"{route}\" is an IPv4 route and needs spec.egress.ipv4: true"));
            }
        }

        if (egress.ServerNetwork is { } server && !Cidr.TryParse(server, out _, out var serverProblem))
        {
            errors.Add(new("spec.egress.serverNetwork", serverProblem!));
        }
    }

    private static void ValidateIngress(List<IngressSpec> ingress, List<FieldError> errors)
    {
        var seen = new HashSet<(int, string)>();
        for (var i = 0; i < ingress.Count; i++)
        {
            var entry = ingress[i];
            var path = $"spec.ingress[{i}]";
            Port(entry.Port, $"{path}.port", errors);
            Port(entry.HostPort, $"{path}.hostPort", errors);
            if (entry.Protocol is not (IngressProtocol.Tcp or IngressProtocol.Udp))
            {
                errors.Add(new($"{path}.protocol", $"\"{entry.Protocol}\" is not TCP or UDP"));
            }
            else if (!seen.Add((entry.HostPort, entry.Protocol)))
            {
                errors.Add(new($"{path}.hostPort", $"{entry.Protocol} host port {entry.HostPort} is already used by an earlier entry"));
            }
        }
    }

    private static void Port(int? port, string path, List<FieldError> errors)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add(new(path, $"{port} is outside 1..65535"));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
