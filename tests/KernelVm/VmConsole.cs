using System.Text.Json;

namespace WgIsolate.KernelVm;

/// <summary>The serial console of one boot, with the verdict markers and the probe's structured lines picked out.</summary>
public sealed record VmConsole(IReadOnlyList<string> Lines, bool TimedOut, TimeSpan Wall, TimeSpan? LaunchToPass, TimeSpan Timeout)
{
    public const string ProbePrefix = "PROBE ";

    public bool Passed => !TimedOut && Lines.Any(line => line.StartsWith(Initramfs.PassMarker, StringComparison.Ordinal))
        && !Lines.Any(line => line.StartsWith(Initramfs.FailMarker, StringComparison.Ordinal));

    /// <summary>Timing line for test output: qemu launch to the PASS marker, and the guest's uptime then.</summary>
    public string Timing =>
        $"qemu launch to PASS {LaunchToPass?.TotalSeconds:0.0} s, wall {Wall.TotalSeconds:0.0} s, " +
        (Lines.FirstOrDefault(line => line.StartsWith(Initramfs.PassMarker, StringComparison.Ordinal)) ?? "no PASS");

    public string Tail(int count = 60) => string.Join('\n', Lines.TakeLast(count));

    /// <summary>Lines the probe printed as `PROBE {json}`, parsed.</summary>
    public IReadOnlyList<JsonElement> ProbeRecords() => Lines
        .Where(line => line.StartsWith(ProbePrefix, StringComparison.Ordinal))
        .Select(line => JsonDocument.Parse(line[ProbePrefix.Length..]).RootElement.Clone())
        .ToArray();

    /// <summary>Lines between `BEGIN name` and `END name` markers the init printed (e.g. a `wg show all dump`).</summary>
    public IReadOnlyList<string> Section(string name) => Lines
        .SkipWhile(line => line != $"BEGIN {name}").Skip(1)
        .TakeWhile(line => line != $"END {name}")
        .ToArray();

    /// <summary>Throws with the console tail unless the init printed PASS before the timeout.</summary>
    public VmConsole EnsurePassed()
    {
        if (TimedOut)
        {
            throw new VmTestFailedException($"the VM printed no verdict within {Timeout.TotalSeconds:0} s; console tail:\n{Tail()}");
        }
        if (!Passed)
        {
            throw new VmTestFailedException($"the VM did not pass; console tail:\n{Tail()}");
        }
        return this;
    }
}

public sealed class VmTestFailedException(string message) : Exception(message);
