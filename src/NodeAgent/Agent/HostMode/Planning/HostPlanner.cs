using System.Net;
using WgIsolate.Core.Allocation;
using WgIsolate.Core.Api;
using WgIsolate.Core.Manifests;
using WgIsolate.Core.Mesh;
using WgIsolate.Core.Naming;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.NodeAgent.Dataplane;

namespace WgIsolate.NodeAgent.HostMode.Planning;

/// <summary>
/// Host mode's operator: every app has one instance, named after the app, on this one host. Allocates what the
/// apps need (in the given allocator's state), builds the mutual-consent mesh with the same code the operator
/// uses, and maps each interface to the app network the converger realises.
/// </summary>
public static class HostPlanner
{
    public const string Node = "host";

    public static HostPlan Plan(
        IReadOnlyList<ParsedApp> apps,
        Allocator allocator,
        IPAddress endpointAddress,
        Func<string, string> privateKeyOf,
        Func<SecretKeyReference, string> presharedKeyOf,
        string ownerScope = "")
    {
        var clashes = apps.GroupBy(a => a.App.Metadata.Name).Where(g => g.Count() > 1).ToList();
        if (clashes.Count > 0)
        {
            throw new HostPlanException(clashes.Select(g =>
                $"app name {g.Key} is used in several namespaces ({string.Join(", ", g.Select(a => a.App.Metadata.NamespaceProperty))}); on one host names must be unique, they name the namespaces"));
        }

        var problems = new List<string>();
        var meshApps = new List<MeshApp>();
        var privateKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parsed in apps.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var app = parsed.App;
            var name = app.Metadata.Name;
            try
            {
                var allocation = allocator.AllocateApp(parsed.Key);
                var instance = allocator.AllocateInstance(parsed.Key, name, Node, app.Spec.ListenPort);
                privateKeys[parsed.Key] = privateKeyOf(name);
                meshApps.Add(new MeshApp(
                    new AppReference { Namespace = app.Metadata.NamespaceProperty, Name = name },
                    app.Spec,
                    allocation.Index,
                    [new MeshInstance(
                        name,
                        Node,
                        NamespaceNames.ForHostApp(name),
                        InterfaceNames.WireGuard(name),
                        allocator.AddressOf(allocation, instance),
                        64,
                        instance.Port,
                        WireGuardKeys.PublicKeyOf(privateKeys[parsed.Key]))]));
            }
            catch (Exception ex) when (ex is AllocationExhaustedException or AllocationConflictException or FormatException or InvalidDataException)
            {
                problems.Add($"{parsed.Source}: {parsed.Key}: {ex.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new HostPlanException(problems);
        }

        var mesh = MeshState.Build(new MeshOptions(allocator.ClusterPrefix, new Dictionary<string, IPAddress> { [Node] = endpointAddress }, "psk"), meshApps);
        var planned = mesh.NodeSpec(Node).Interfaces.Select(i => new PlannedApp(
            i.App,
            i,
            mesh.PeerStates(i.App),
            AppNetworkMapper.Map(i, allocator.ClusterPrefix, privateKeys[i.App.ToString()], presharedKeyOf, ownerScope))).ToList();
        return new HostPlan(allocator.ClusterPrefix, planned);
    }
}

public sealed record HostPlan(IPNetwork ClusterPrefix, IReadOnlyList<PlannedApp> Apps);

public sealed record PlannedApp(AppReference App, NodeInterfaceSpec Interface, IReadOnlyList<PeerStatus> Peers, AppNetwork Network);

public sealed class HostPlanException(IEnumerable<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems.ToList();
}
