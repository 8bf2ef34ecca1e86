using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WgIsolate.Bench.OperatorScale;

/// <summary>
/// The shipped operator (wgisolate-operator.dll, its own runtimeconfig, the real KubernetesClient) in a process of its
/// own, so that everything its memory figures show is the operator's: peak RSS from /proc (VmHWM) and the GC heap
/// as its /metrics reports it (dotnet_total_memory_bytes), sampled while it runs.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _metrics;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly string _log;

    private OperatorProcess(Process process, HttpClient metrics, string log)
    {
        (_process, _metrics, _log) = (process, metrics, log);
        _sampler = Task.Run(SampleAsync);
    }

    public long PeakGcHeapBytes { get; private set; }

    public long PeakRssBytes => ReadStatusKb("VmHWM") * 1024;

    /// <param name="heapLimitBytes">The GC heap limit .NET would pick in a container with a memory limit (0: none).</param>
    public static OperatorProcess Start(string kubeconfig, IEnumerable<string> settings, long heapLimitBytes = 0)
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "wgisolate-operator.dll");
        var log = Path.Combine(Path.GetTempPath(), $"wgisolate-operator-bench-{Environment.ProcessId}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (heapLimitBytes > 0) start.Environment["DOTNET_GCHeapHardLimit"] = heapLimitBytes.ToString("x", CultureInfo.InvariantCulture);
        foreach (var arg in (string[])[dll, "--kubeconfig", kubeconfig, "--urls", $"http://127.0.0.1:{port}", .. settings]) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the operator");
        var output = File.CreateText(log);
        output.AutoFlush = true;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OperatorProcess(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") }, log);
    }

    public string LogPath => _log;

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the operator exited with {_process.ExitCode}; see {_log}");
            try
            {
                if ((await _metrics.GetAsync("/readyz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"operator not ready after {timeout}; see {_log}");
            await Task.Delay(50);
        }
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var text = await _metrics.GetStringAsync("/metrics", _stop.Token);
                var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("dotnet_total_memory_bytes ", StringComparison.Ordinal));
                if (line is not null) PeakGcHeapBytes = Math.Max(PeakGcHeapBytes, (long)double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture));
                await Task.Delay(500, _stop.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                if (!_stop.IsCancellationRequested) await Task.Delay(100);
            }
        }
    }

    private long ReadStatusKb(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _metrics.Dispose();
        _stop.Dispose();
    }
}
