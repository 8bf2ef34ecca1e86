using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using WgIsolate.Datapath.Convergence;

namespace WgIsolate.Bench.Datapath;

/// <summary>Wraps a dataplane and adds up the time spent in each of its operations: where a bring-up goes.</summary>
public class OperationTimes : DispatchProxy
{
    private readonly ConcurrentDictionary<string, (int Calls, TimeSpan Total)> totals = new();
    private IDataplane inner = null!;

    public static (IDataplane Dataplane, OperationTimes Times) Wrap(IDataplane dataplane)
    {
        var proxy = Create<IDataplane, OperationTimes>();
        var times = (OperationTimes)(object)proxy;
        times.inner = dataplane;
        return (proxy, times);
    }

    public IEnumerable<string> Report(int apps) => totals
        .OrderByDescending(t => t.Value.Total)
        .Select(t => $"    {t.Key,-22} {t.Value.Calls,6} calls  {t.Value.Total.TotalMilliseconds / apps,7:F2} ms/app");

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return targetMethod!.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
        finally
        {
            totals.AddOrUpdate(targetMethod!.Name, (1, clock.Elapsed), (_, t) => (t.Calls + 1, t.Total + clock.Elapsed));
        }
    }
}
