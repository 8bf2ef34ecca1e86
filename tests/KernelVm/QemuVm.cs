using System.Diagnostics;

namespace WgIsolate.KernelVm;

/// <summary>
/// Boots the kernel and initramfs under qemu (TCG, no NIC) and collects the serial console. qemu exits 0 on any
/// guest poweroff, so the verdict comes only from the markers the init prints.
/// </summary>
public static class QemuVm
{
    public static VmConsole Boot(KernelPackage kernel, string initramfs, TimeSpan timeout)
    {
        var qemu = HostCommand.Require("qemu-system-x86_64", "qemu-system-x86");
        var start = new ProcessStartInfo(qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[]
        {
            "-cpu", "max", "-nic", "none", "-nographic", "-no-reboot", "-m", "1024",
            "-kernel", kernel.Vmlinuz, "-initrd", initramfs,
            // panic=-1 plus -no-reboot turns a dying init into a qemu exit instead of a hang.
            "-append", "console=ttyS0 quiet panic=-1",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        TimeSpan? passAt = null;
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines)
            {
                lines.Add(e.Data.TrimEnd('\r'));
                if (e.Data.StartsWith(Initramfs.PassMarker, StringComparison.Ordinal)) passAt = clock.Elapsed;
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("[qemu] " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExit((int)timeout.TotalMilliseconds);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        else
        {
            process.WaitForExit(); // drains the asynchronous readers
        }
        string[] snapshot;
        lock (lines) snapshot = lines.ToArray();
        // Kept beside the initramfs so a failing or capturing run can be read in full afterwards.
        File.WriteAllLines(Path.Combine(Path.GetDirectoryName(initramfs)!, "console.log"), snapshot);
        File.Delete(initramfs);
        return new VmConsole(snapshot, TimedOut: !exited, clock.Elapsed, passAt, timeout);
    }
}
