namespace WgIsolate.Datapath.Ingress;

/// <summary>
/// The forwarders of this host, reconciled against the desired rules after every convergence: rules that are gone
/// are stopped first (so a port can move from one app to another in one pass), new ones started, unchanged ones
/// left alone with their open connections. An app whose new rules cannot all start gets none of them this time
/// (nothing half-applied) and an error; other apps are not affected. Thread-safe.
/// </summary>
public sealed class IngressSet(IngressOptions? options = null) : IDisposable
{
    private readonly IngressOptions options = options ?? new IngressOptions();
    private readonly Dictionary<IngressRule, IngressForwarder> running = [];
    private static readonly IComparer<IngressRule> RuleOrder = Comparer<IngressRule>.Create(Compare);
    private readonly Lock gate = new();

    public IReadOnlyList<IngressForwarder> Running
    {
        get
        {
            lock (gate)
            {
                return [.. running.Values.OrderBy(f => f.Rule, RuleOrder)];
            }
        }
    }

    public IngressReconcileResult Reconcile(IEnumerable<IngressRule> desired)
    {
        var wanted = desired.ToHashSet();
        lock (gate)
        {
            var stopped = running.Keys.Where(rule => !wanted.Contains(rule)).Order(RuleOrder).ToList();
            foreach (var rule in stopped)
            {
                running.Remove(rule, out var forwarder);
                forwarder!.Dispose();
            }

            var kept = wanted.Where(running.ContainsKey).Order(RuleOrder).ToList();
            var started = new List<IngressRule>();
            var failures = new List<IngressFailure>();
            foreach (var owner in wanted.Where(rule => !running.ContainsKey(rule)).GroupBy(rule => rule.Owner).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var (ownerStarted, failure) = StartAll(owner.Order(RuleOrder));
                if (failure is null)
                {
                    started.AddRange(ownerStarted);
                }
                else
                {
                    failures.Add(failure);
                }
            }

            return new IngressReconcileResult(started, stopped, kept, failures);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var forwarder in running.Values)
            {
                forwarder.Dispose();
            }

            running.Clear();
        }
    }

    /// <summary>Starts one owner's new rules in order; on the first failure stops those it started and reports it.</summary>
    private (List<IngressRule> Started, IngressFailure? Failure) StartAll(IEnumerable<IngressRule> rules)
    {
        var started = new List<IngressRule>();
        foreach (var rule in rules)
        {
            try
            {
                running[rule] = IngressForwarder.Start(rule, options);
                started.Add(rule);
            }
            catch (IngressException e)
            {
                foreach (var undo in started)
                {
                    running.Remove(undo, out var forwarder);
                    forwarder!.Dispose();
                }

                return ([], new IngressFailure(rule, e.Message));
            }
        }

        return (started, null);
    }

    private static int Compare(IngressRule x, IngressRule y)
    {
        var byOwner = string.CompareOrdinal(x.Owner, y.Owner);
        return byOwner != 0 ? byOwner : (x.Transport, x.HostPort, x.TargetPort).CompareTo((y.Transport, y.HostPort, y.TargetPort));
    }
}
