using System.Net;
using WgIsolate.Core.Allocation;
using WgIsolate.Core.Manifests;
using WgIsolate.Datapath.Convergence;
using WgIsolate.Datapath.Ingress;
using WgIsolate.Datapath.Linux;
using WgIsolate.NodeAgent.Dataplane;
using WgIsolate.NodeAgent.HostMode.Planning;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>
/// One state directory driving this host: holds its lock for as long as it lives (one `up` or `down` at a time),
/// picks the WireGuard backend once, and runs passes. A pass allocates and persists first, then converges, then
/// reads isolation back from the kernel: a crash at any point leaves state the next pass converges from.
/// </summary>
internal sealed class HostSession : IDisposable
{
    private readonly StateLock stateLock;
    private readonly LinuxDataplane dataplane;
    private readonly Converger converger;
    private readonly AppliedEndpointsFile appliedEndpoints;
    private IngressSet? ingress;

    private HostSession(HostState state, HostScope scope, StateLock stateLock, LinuxDataplane dataplane, AppliedEndpointsFile appliedEndpoints,
        string backendReason)
    {
        State = state;
        Scope = scope;
        this.stateLock = stateLock;
        this.dataplane = dataplane;
        this.appliedEndpoints = appliedEndpoints;
        BackendReason = backendReason;
        converger = new Converger(dataplane, scope.OwnerPrefix);
    }

    public HostState State { get; }

    public HostScope Scope { get; }

    public string Backend => dataplane.WireGuardBackend;

    public string BackendReason { get; }

    /// <summary>Locks the state directory (refusing if another process holds it) and detects the backend.</summary>
    public static HostSession Open(string stateDirectory)
    {
        var state = new HostState(stateDirectory);
        state.EnsureCreated();
        var stateLock = StateLock.Acquire(state.Directory);
        try
        {
            var appliedEndpoints = new AppliedEndpointsFile(state.Directory);
            var (dataplane, reason) = HostDataplane.Open(new HostScope(state.Directory), appliedEndpoints);
            return new HostSession(state, new HostScope(state.Directory), stateLock, dataplane, appliedEndpoints, reason);
        }
        catch
        {
            stateLock.Dispose();
            throw;
        }
    }

    /// <summary>Ingress forwarders live in this process: only an `up` that keeps running serves them.</summary>
    public void ServeIngress(Action<string> log) => ingress ??= new IngressSet(new IngressOptions { Log = log });

    public UpResult Up(string manifests, IReadOnlyList<ParsedApp> apps, IPAddress endpoint)
    {
        var allocator = new Allocator(State.LoadAllocations(TimeProvider.System));
        var wanted = apps.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var removed = allocator.State.Apps.Keys.Where(k => !wanted.Contains(k)).Order(StringComparer.Ordinal).ToList();
        foreach (var key in removed)
        {
            allocator.ReleaseApp(key);
        }

        var keys = State.Keys;
        var plan = HostPlanner.Plan(apps, allocator, endpoint, keys.GetOrCreate, State.PresharedKey, Scope.OwnerPrefix);
        State.SaveAllocations(allocator.State);
        State.RecordLastUp(manifests, endpoint);
        var report = converger.Converge(plan.Apps.Select(a => a.Network).ToList());
        appliedEndpoints.Save();
        if (report.HostError is null)
        {
            foreach (var key in removed)
            {
                keys.Delete(AppName(key));
            }

            State.DeletePresharedKeysExcept(plan.Apps
                .SelectMany(a => a.Interface.Peers)
                .Select(p => p.PresharedKeyRef?.Key)
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal));
        }

        var forwarding = ingress?.Reconcile(plan.Apps.SelectMany(a => IngressRulesMapper.Map(a.Interface, a.Network)));
        return new UpResult(plan, report, HostInspection.Verify(dataplane, plan), removed, forwarding);
    }

    /// <summary>Removes the named apps (all when none are named): kernel objects first, then their state.</summary>
    public ConvergeReport Down(IReadOnlyList<string> appNames)
    {
        var allocator = new Allocator(State.LoadAllocations(TimeProvider.System));
        var keys = appNames.Count == 0 ? allocator.State.Apps.Keys.ToList() : Resolve(allocator, appNames);
        var report = appNames.Count == 0
            ? converger.Converge([])
            : converger.Remove(keys.Select(Scope.Owner).ToHashSet(StringComparer.Ordinal));
        appliedEndpoints.Save();
        if (report.Succeeded)
        {
            foreach (var key in keys)
            {
                allocator.ReleaseApp(key);
                State.Keys.Delete(AppName(key));
            }

            if (appNames.Count == 0)
            {
                State.DeletePresharedKeysExcept(new HashSet<string>());
            }

            State.SaveAllocations(allocator.State);
        }

        return report;
    }

    public void Dispose()
    {
        ingress?.Dispose();
        dataplane.Dispose();
        stateLock.Dispose();
    }

    private static List<string> Resolve(Allocator allocator, IReadOnlyList<string> appNames)
    {
        var unknown = appNames.Where(n => allocator.State.Apps.Keys.All(k => AppName(k) != n && k != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new HostCommandException($"no app named {string.Join(", ", unknown)} is known to this state directory");
        }

        return allocator.State.Apps.Keys.Where(k => appNames.Contains(AppName(k)) || appNames.Contains(k)).ToList();
    }

    /// <summary>Keys are "namespace/name"; on one host names are unique and name the namespace and key file.</summary>
    private static string AppName(string key) => key[(key.IndexOf('/') + 1)..];
}

/// <param name="Ingress">What the forwarders did, or null when this `up` does not serve ingress (--once).</param>
internal sealed record UpResult(
    HostPlan Plan,
    ConvergeReport Report,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Deviations,
    IReadOnlyList<string> Removed,
    IngressReconcileResult? Ingress)
{
    public bool Ready => Report.Succeeded && Deviations.Values.All(d => d.Count == 0) && Ingress?.Failures.Count is null or 0;
}

/// <summary>A request that cannot be carried out as asked (unknown app, ...): exit code 2, nothing changed.</summary>
internal sealed class HostCommandException(string message) : Exception(message);
