using WgIsolate.NodeAgent.Cli;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>What an `up` pass prints: every change (or that there was none), removals, and the summary table
/// with each app's state as read back from the kernel.</summary>
internal static class UpReport
{
    public static void Write(TextWriter output, UpResult result)
    {
        var report = result.Report;
        if (!report.Changed)
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

        var errors = report.Apps.Where(a => a.Error is not null).ToDictionary(a => a.Owner, a => a.Error!);
        SummaryTable.Write(output, result.Plan, app =>
            errors.TryGetValue(app.Network.Owner, out var error) ? $"failed: {error}"
            : result.Deviations[app.App.ToString()] is { Count: > 0 } deviations ? $"NOT isolated: {string.Join("; ", deviations)}"
            : "isolated");
    }

    /// <summary>Owners carry the state directory as a scope; the app key is what a person wants to read.</summary>
    private static string Short(string owner) => owner[(owner.LastIndexOf(':') + 1)..];
}
