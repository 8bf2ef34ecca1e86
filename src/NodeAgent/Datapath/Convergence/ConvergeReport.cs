namespace WgIsolate.Datapath.Convergence;

/// <summary>What one convergence did: per app the changes it made (none when the host already matched) or
/// the error that stopped that app; what it removed; what it changed on the host itself, and the error that
/// stopped that part.</summary>
public sealed record ConvergeReport(IReadOnlyList<AppResult> Apps, IReadOnlyList<string> Removed, IReadOnlyList<string> HostChanges, string? HostError)
{
    public bool Changed => Apps.Any(a => a.Changes.Count > 0) || Removed.Count > 0 || HostChanges.Count > 0;

    public bool Succeeded => HostError is null && Apps.All(a => a.Error is null);
}

public sealed record AppResult(string Owner, IReadOnlyList<string> Changes, string? Error);
