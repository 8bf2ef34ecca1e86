using Microsoft.Extensions.Hosting;
using WgIsolate.NodeAgent.Cli;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>
/// `up` without --once: the first pass runs before the host reports ready (so systemd's Type=notify means
/// "converged"), then a pass runs on every change in the folder and periodically, to repair drift. Stopping
/// (SIGTERM) ends the loop and leaves every tunnel up: apps keep working while the agent is stopped or upgraded.
/// </summary>
internal sealed class UpService(HostSession session, UpSettings settings) : IHostedService, IDisposable
{
    // Editors write a file in several steps; one pass after the burst settles is enough.
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly SemaphoreSlim changed = new(0);
    private readonly CancellationTokenSource stopping = new();
    private FileSystemWatcher? watcher;
    private Task loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        session.ServeIngress(line => Console.Error.WriteLine($"ingress: {line}"));

        // Watching starts before the first pass, so that a change made while it runs is not missed.
        watcher = new FileSystemWatcher(settings.Manifests, "*.yaml") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += OnChange;
        watcher.EnableRaisingEvents = true;
        Pass();
        loop = Task.Run(() => Loop(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        watcher?.Dispose();
        await stopping.CancelAsync();
        await loop.WaitAsync(cancellationToken);
        Console.Out.WriteLine("stopped; the apps' tunnels stay up");
    }

    public void Dispose()
    {
        watcher?.Dispose();
        stopping.Dispose();
        changed.Dispose();
    }

    private void OnChange(object sender, FileSystemEventArgs e) => changed.Release();

    private async Task Loop(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                var why = await changed.WaitAsync(settings.Resync, token) ? "the folder changed" : "periodic resync";
                await Task.Delay(Debounce, token);
                while (changed.CurrentCount > 0)
                {
                    await changed.WaitAsync(token);
                }

                Console.Out.WriteLine($"{DateTimeOffset.Now:O} pass ({why})");
                Pass();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pass on a thread of its own: the converger is synchronous and must not hold a pool thread.</summary>
    private void Pass()
    {
        var code = 0;
        var thread = new Thread(() => code = UpPass.Run(session, settings, Console.Out, Console.Error)) { Name = "up pass" };
        thread.Start();
        thread.Join();
        if (code != ExitCodes.Ok)
        {
            Console.Error.WriteLine(code == ExitCodes.InvalidInput
                ? "the folder is invalid: the host keeps its current state until it is fixed"
                : "not every app is ready; the next pass retries");
        }
    }
}
