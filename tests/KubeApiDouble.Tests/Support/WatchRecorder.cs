using System.Threading.Channels;
using k8s;

namespace WgIsolate.KubeApiDouble.Tests.Support;

/// <summary>Runs a client watch in the background and hands its events to the test one at a time.</summary>
internal sealed class WatchRecorder<T> : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Exception> _errors = [];
    private readonly Task _loop;

    private WatchRecorder(Func<CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch)
    {
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in watch(_stop.Token))
                {
                    _events.Writer.TryWrite(e);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The test is done with this watch.
            }
            catch (Exception transport)
            {
                // The client reports some server-side closes as exceptions (e.g. a close before the first line).
                lock (_errors)
                {
                    _errors.Add(transport);
                }
            }
            finally
            {
                _events.Writer.TryComplete();
            }
        });
    }

    /// <param name="watch">A client WatchList…Async call given the recorder's error callback and cancellation.</param>
    public static WatchRecorder<T> Start(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch)
    {
        WatchRecorder<T>? recorder = null;
        recorder = new WatchRecorder<T>(token => watch(e =>
        {
            lock (recorder!._errors)
            {
                recorder._errors.Add(e);
            }
        }, token));
        return recorder;
    }

    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public async Task<(WatchEventType Type, T Object)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _events.Reader.ReadAsync(timeout.Token);
    }

    public async Task<List<(WatchEventType Type, T Object)>> NextAsync(int count)
    {
        var events = new List<(WatchEventType, T)>();
        for (var i = 0; i < count; i++)
        {
            events.Add(await NextAsync());
        }
        return events;
    }

    /// <summary>Waits until the server ends the watch; returns the events that came before the end.</summary>
    public async Task<List<(WatchEventType Type, T Object)>> ClosedAsync()
    {
        await _loop.WaitAsync(Patience);
        var rest = new List<(WatchEventType, T)>();
        while (_events.Reader.TryRead(out var e))
        {
            rest.Add(e);
        }
        return rest;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(Patience).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
