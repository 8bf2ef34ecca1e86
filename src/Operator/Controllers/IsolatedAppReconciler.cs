using k8s;
using Microsoft.Extensions.Logging;
using WgIsolate.Core.Allocation;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Kube;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// Reconciles one IsolatedApp: validation (InvalidSpec, nothing allocated), finalizer, allocations for the app and
/// its instances, status and events. Node specs are the mesh reconciler's job; this one asks it to run.
/// Deletion: the mesh drops the app from every node; once the agents report its interfaces gone (or the cleanup
/// timeout passed, which is reported) the allocations are released and the finalizer removed.
/// </summary>
public sealed class IsolatedAppReconciler(
    ClusterCache cache,
    IAppValidator validator,
    IAllocations allocations,
    IIsolatedAppStore apps,
    IEventRecorder events,
    MeshView mesh,
    Action<AppReference> requestMesh,
    TimeSpan agentCleanupTimeout,
    TimeProvider time,
    ILogger<IsolatedAppReconciler> logger) : IReconciler
{
    public const string Finalizer = "wgisolate.io/cleanup";

    /// <summary>How often a deleting app looks again whether the agents removed its interfaces.</summary>
    public static readonly TimeSpan CleanupPollInterval = TimeSpan.FromSeconds(2);

    public string Name => "isolatedapp";

    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var app = cache.Apps.Cache.Get(key);
        if (app is null) return ReconcileResult.Done;
        var appRef = new AppReference { Namespace = app.Metadata.NamespaceProperty, Name = app.Metadata.Name };

        if (app.Metadata.DeletionTimestamp is { } deletedAt) return await FinalizeAsync(app, appRef, deletedAt, cancellationToken);

        var problems = validator.Validate(app);
        if (problems.Count > 0)
        {
            // A new app gets nothing. One that was valid before keeps what it holds (the mesh drops its links), so
            // fixing the spec does not renumber it; only deletion releases allocations.
            await SetStatusAsync(app, AppStatusBuilder.Invalid(app, problems, time.GetUtcNow()), cancellationToken);
            await events.WarningAsync(app, AppStatusBuilder.InvalidSpec, string.Join("; ", problems), cancellationToken);
            return ReconcileResult.Done;
        }

        if (app.Metadata.Finalizers?.Contains(Finalizer) != true)
        {
            // The finalizer goes on before anything is allocated, so no allocation can outlive a deleted app.
            if (!await apps.SetFinalizerAsync(appRef.Namespace, appRef.Name, Finalizer, present: true, cancellationToken)) return ReconcileResult.Done;
        }

        EnsuredApp allocation;
        var pods = cache.InstancesOf(app).ToList();
        var placements = pods.Select(p => new InstancePlacement(p.Metadata.Name, p.Spec.NodeName)).ToList();
        try
        {
            allocation = await allocations.EnsureAsync(appRef, placements, app.Spec.ListenPort, cancellationToken);
        }
        catch (Exception e) when (e is AllocationConflictException or TerminalReconcileException)
        {
            // A taken fixed port or an exhausted /48 is the user's to fix: say so on the app, then let the
            // controller retry (conflict) or stop (exhaustion).
            await events.WarningAsync(app, "AllocationFailed", e.Message, cancellationToken);
            throw;
        }

        if (allocation.NewlyAllocated)
        {
            await events.NormalAsync(app, "Allocated", $"subnet {allocation.App.Subnet}, id {allocation.App.Id}", cancellationToken);
        }

        requestMesh(appRef);

        var peers = mesh.PeersOf(appRef) ?? [];
        foreach (var waiting in peers.Where(p => p.State != PeerStates.Connected))
        {
            await events.NormalAsync(app, waiting.State, $"peer {waiting.Namespace}/{waiting.Name}: {waiting.State}", cancellationToken);
        }

        var nodeProblems = new List<string>();
        var observed = placements.Select(p => Observe(appRef, p, allocation.Instances.GetValueOrDefault(p.Instance), nodeProblems)).ToList();
        var status = AppStatusBuilder.Converging(app, allocation.App, observed, peers, nodeProblems.Distinct().ToList(), time.GetUtcNow());
        await SetStatusAsync(app, status, cancellationToken);
        return ReconcileResult.Done;
    }

    private ObservedInstance Observe(AppReference app, InstancePlacement placement, InstanceAllocation? allocation, List<string> nodeProblems)
    {
        var isolatedNode = cache.IsolatedNodes.Cache.Get(new ResourceKey(null, placement.Node));
        var desired = isolatedNode?.Spec.Interfaces.FirstOrDefault(i => i.App == app && i.Instance == placement.Instance);
        var realised = isolatedNode?.Status?.Interfaces.FirstOrDefault(i => i.App == app && i.Instance == placement.Instance);
        string? endpoint = null;
        if (cache.Nodes.Cache.Get(new ResourceKey(null, placement.Node)) is { } node && allocation is not null)
        {
            var (address, problem) = NodeEndpoints.Resolve(node);
            if (address is not null) endpoint = NodeEndpoints.Format(address, allocation.Port);
            else nodeProblems.Add(problem!);
        }

        return new ObservedInstance(placement.Instance, placement.Node, allocation, endpoint, desired, realised);
    }

    private async Task<ReconcileResult> FinalizeAsync(V1Alpha1IsolatedApp app, AppReference appRef, DateTime deletedAt, CancellationToken cancellationToken)
    {
        if (app.Metadata.Finalizers?.Contains(Finalizer) != true) return ReconcileResult.Done;
        requestMesh(appRef);

        var remaining = cache.IsolatedNodes.Cache.List()
            .Where(n => n.Spec.Interfaces.Any(i => i.App == appRef) || (n.Status?.Interfaces.Any(i => i.App == appRef) ?? false))
            .Select(n => n.Metadata.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (remaining.Count > 0)
        {
            var waited = time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(deletedAt, DateTimeKind.Utc));
            if (waited < agentCleanupTimeout) return ReconcileResult.After(CleanupPollInterval);

            // Do not hang on a node whose agent is gone for good: say so, then release.
            await events.WarningAsync(app, "CleanupTimeout",
                $"agents on {string.Join(", ", remaining)} did not report the app's interfaces removed within {agentCleanupTimeout}; releasing its allocations anyway",
                cancellationToken);
            logger.LogWarning("IsolatedApp {Namespace}/{Name}: cleanup timed out on {Nodes}", appRef.Namespace, appRef.Name, remaining);
        }

        await allocations.ReleaseAppAsync(appRef, cancellationToken);
        await apps.SetFinalizerAsync(appRef.Namespace, appRef.Name, Finalizer, present: false, cancellationToken);
        logger.LogInformation("IsolatedApp {Namespace}/{Name}: released and finalized", appRef.Namespace, appRef.Name);
        return ReconcileResult.Done;
    }

    private async Task SetStatusAsync(V1Alpha1IsolatedApp app, IsolatedAppStatus status, CancellationToken cancellationToken)
    {
        // Level-triggered reconciles repeat often; an unchanged status is not written again.
        if (app.Status is not null && KubernetesJson.Serialize(app.Status) == KubernetesJson.Serialize(status)) return;
        await apps.SetStatusAsync(app.Metadata.NamespaceProperty, app.Metadata.Name, status, cancellationToken);
    }
}
