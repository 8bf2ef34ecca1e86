using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using WgIsolate.Core.Validation;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Runtime;
using WgIsolate.Operator.Tests.Runtime;

namespace WgIsolate.Operator.Tests.Controllers;

/// <summary>A cache whose contents the test puts in directly; reconcilers only ever read it.</summary>
internal static class TestCache
{
    public static ClusterCache Empty() => new(new FakeResourceSource<V1Alpha1IsolatedApp>(), new FakeResourceSource<V1Pod>(),
        new FakeResourceSource<V1Node>(), new FakeResourceSource<V1Alpha1IsolatedNode>(), new InformerOptions(), TimeProvider.System,
        NullLoggerFactory.Instance);

    public static V1Alpha1IsolatedApp App(string name, params string[] peers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "demo", Generation = 1, Uid = $"uid-{name}", ResourceVersion = "1" },
        Spec = new IsolatedAppSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Peers = [.. peers.Select(p => new PeerReference { Name = p })],
        },
    };

    public static V1Pod Pod(string name, string app, string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "demo", Labels = new Dictionary<string, string> { ["app"] = app }, ResourceVersion = "1" },
        Spec = new V1PodSpec { NodeName = node },
        Status = new V1PodStatus { Phase = "Running" },
    };

    public static V1Node Node(string name, string internalIp) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1" },
        Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = internalIp }] },
    };

    public static AppReference Ref(string name) => new() { Namespace = "demo", Name = name };

    /// <summary>A node whose agent reports these interfaces (and whose spec, when given, holds these).</summary>
    public static V1Alpha1IsolatedNode IsolatedNode(string name, NodeInterfaceStatus[] realised, NodeInterfaceSpec[]? desired = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new IsolatedNodeSpec { Interfaces = [.. desired ?? []] },
        Status = new IsolatedNodeStatus { Interfaces = [.. realised] },
    };

    public static NodeInterfaceStatus Realised(string app, string instance, bool ready = false, string? publicKey = null, string? error = null) =>
        new() { App = Ref(app), Instance = instance, Ready = ready, PublicKey = publicKey, Error = error };
}

internal sealed class FakeValidator : IAppValidator
{
    public Dictionary<string, List<FieldError>> Problems { get; } = [];

    public IReadOnlyList<FieldError> Validate(V1Alpha1IsolatedApp app) => Problems.GetValueOrDefault(app.Metadata.Name) ?? [];
}

/// <summary>Hands out ids, /64s, addresses and ports in order; enough to check what the reconciler asks for.</summary>
internal sealed class FakeAllocations : IAllocations
{
    private readonly Dictionary<AppReference, AllocatedApp> _apps = [];

    public List<string> Calls { get; } = [];

    /// <summary>Thrown by the next instance allocation, as Core's allocator throws for a taken fixed port.</summary>
    public Exception? FailInstances { get; set; }

    public (long Allocated, long Free) Capacity => (_apps.Count, 65535 - _apps.Count);

    public Task<string> ClusterPrefixAsync(CancellationToken cancellationToken) => Task.FromResult("fd00:1:2::/48");

    public Task<EnsuredApp> EnsureAsync(AppReference app, IReadOnlyCollection<InstancePlacement> instances, int? fixedPort,
        CancellationToken cancellationToken)
    {
        Calls.Add($"ensure {app}: {string.Join(",", instances.Select(i => $"{i.Instance}@{i.Node}").Order())}");
        if (FailInstances is { } failure) throw failure;
        var newlyAllocated = !_apps.TryGetValue(app, out var current);
        if (current is null)
        {
            var id = _apps.Count + 1;
            current = new AllocatedApp(new AppAllocation(id, $"fd00:1:2:{id:x}::/64"), new Dictionary<string, InstanceAllocation>());
        }

        var result = new Dictionary<string, InstanceAllocation>();
        var next = current.Instances.Count + 1;
        foreach (var i in instances.OrderBy(i => i.Instance, StringComparer.Ordinal))
        {
            result[i.Instance] = current.Instances.TryGetValue(i.Instance, out var kept)
                ? kept
                : new InstanceAllocation($"{current.App.Subnet.Split("/")[0]}{next}/64", 51819 + next++);
        }

        _apps[app] = current with { Instances = result };
        return Task.FromResult(new EnsuredApp(current.App, result, newlyAllocated));
    }

    public Task ReleaseAppAsync(AppReference app, CancellationToken cancellationToken)
    {
        Calls.Add($"release {app}");
        _apps.Remove(app);
        return Task.CompletedTask;
    }

    public Task<AllocatedApp?> FindAsync(AppReference app, CancellationToken cancellationToken) => Task.FromResult(_apps.GetValueOrDefault(app));
}

internal sealed class FakeAppStore(ClusterCache cache) : IIsolatedAppStore
{
    public List<IsolatedAppStatus> Statuses { get; } = [];

    public Task SetStatusAsync(string ns, string name, IsolatedAppStatus status, CancellationToken cancellationToken)
    {
        Statuses.Add(status);
        var app = cache.Apps.Cache.Get(new ResourceKey(ns, name))!;
        cache.Apps.Cache.Upsert(Copy(app, a => a.Status = status));
        return Task.CompletedTask;
    }

    public Task<bool> SetFinalizerAsync(string ns, string name, string finalizer, bool present, CancellationToken cancellationToken)
    {
        var app = cache.Apps.Cache.Get(new ResourceKey(ns, name));
        if (app is null) return Task.FromResult(false);
        var finalizers = app.Metadata.Finalizers?.ToList() ?? [];
        if (present) finalizers.Add(finalizer);
        else finalizers.Remove(finalizer);
        cache.Apps.Cache.Upsert(Copy(app, a => a.Metadata.Finalizers = finalizers));
        return Task.FromResult(true);
    }

    private static V1Alpha1IsolatedApp Copy(V1Alpha1IsolatedApp app, Action<V1Alpha1IsolatedApp> change)
    {
        var copy = KubernetesJson.Deserialize<V1Alpha1IsolatedApp>(KubernetesJson.Serialize(app));
        change(copy);
        return copy;
    }
}

internal sealed class FakeNodeStore(List<string>? log = null) : IIsolatedNodeStore
{
    public List<(string Node, IsolatedNodeSpec Spec)> Writes { get; } = [];

    /// <summary>The basis each write was given, in the order of <see cref="Writes"/>.</summary>
    public List<NodeSpecBasis?> Bases { get; } = [];

    private long _generations;

    /// <summary>The next write to this node fails, as a 500 from the API server would.</summary>
    public string? FailNextWriteTo { get; set; }

    public Task<long> SetSpecAsync(string nodeName, IsolatedNodeSpec spec, NodeSpecBasis? basis, bool exists, CancellationToken cancellationToken)
    {
        lock (Writes)
        {
            if (FailNextWriteTo == nodeName)
            {
                FailNextWriteTo = null;
                throw new HttpRequestException($"injected failure writing {nodeName}");
            }

            Writes.Add((nodeName, spec));
            Bases.Add(basis);
            log?.Add($"spec {nodeName}");
            return Task.FromResult(++_generations);
        }
    }
}

internal sealed class FakePresharedKeys(List<string> log) : IPresharedKeyStore
{
    public string SecretName => "psk";

    public Task<bool> EnsureAsync(IReadOnlySet<string> entries, bool prune, CancellationToken cancellationToken)
    {
        log.Add($"psk{(prune ? " prune" : "")} {string.Join(",", entries.Order())}");
        return Task.FromResult(true);
    }
}

internal sealed class RecordingEvents : IEventRecorder
{
    public List<string> Events { get; } = [];

    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken)
    {
        Events.Add($"Normal {reason} {about.Metadata.Name}: {message}");
        return Task.CompletedTask;
    }

    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken)
    {
        Events.Add($"Warning {reason} {about.Metadata.Name}: {message}");
        return Task.CompletedTask;
    }
}
