using WgIsolate.NodeAgent.Cli;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>What an `up` pass prints: every change (or that there was none), removals, and the summary table
/// with each app's state as read back from the kernel.</summary>
internal static class UpReport
{
    public static void Write(TextWriter output, UpResult result)
    {
        var report = result.Report;
        if (!report.Changed && result.Ingress?.Changed != true)
        {
            output.WriteLine("no changes: the host already matches the folder");
        }

        foreach (var app in report.Apps.Where(a => a.Changes.Count > 0))
        {
            output.WriteLine($"{Short(app.Owner)}: {string.Join("; ", app.Changes)}");
        }

        foreach (var removed in report.Removed)
        {
            output.WriteLine($"removed {removed}");
        }

        foreach (var change in report.HostChanges)
        {
            output.WriteLine($"host: {change}");
        }

        if (report.HostError is { } hostError)
        {
            output.WriteLine($"host: FAILED: {hostError}");
        }

        if (result.Ingress is { } ingress)
        {
            foreach (var started in ingress.Started)
            {
                output.WriteLine($"{Short(started.Owner)}: forwarding host port {started.HostPort}/{started.Transport.ToString().ToLowerInvariant()} to [::1]:{started.TargetPort} inside");
            }

            foreach (var stopped in ingress.Stopped)
            {
                output.WriteLine($"{Short(stopped.Owner)}: stopped forwarding host port {stopped.HostPort}/{stopped.Transport.ToString().ToLowerInvariant()}");
            }
        }
        else if (result.Plan.Apps.Any(a => a.Interface.Ingress.Count > 0))
        {
            output.WriteLine("ingress: forwarders run only while `wgisolate up` keeps running (without --once)");
        }

        var errors = report.Apps.Where(a => a.Error is not null).ToDictionary(a => a.Owner, a => a.Error!);
        foreach (var failure in result.Ingress?.Failures ?? [])
        {
            errors[failure.Rule.Owner] = errors.TryGetValue(failure.Rule.Owner, out var earlier) ? $"{earlier}; {failure.Message}" : failure.Message;
        }

        SummaryTable.Write(output, result.Plan, app =>
            errors.TryGetValue(app.Network.Owner, out var error) ? $"failed: {error}"
            : result.Deviations[app.App.ToString()] is { Count: > 0 } deviations ? $"NOT isolated: {string.Join("; ", deviations)}"
            : "isolated");
    }

    /// <summary>Owners carry the state directory as a scope; the app key is what a person wants to read.</summary>
    private static string Short(string owner) => owner[(owner.LastIndexOf(':') + 1)..];
}
