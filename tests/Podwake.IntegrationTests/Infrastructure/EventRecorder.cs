using System.Collections.Concurrent;
using Podwake.Podman;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>Records podman's events for one container, as the acceptance criteria count them.</summary>
internal sealed class EventRecorder : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<PodmanEvent> _events = new();
    private readonly Task _reader;

    public EventRecorder(PodmanClient client, string containerName)
    {
        _reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in client.StreamEventsAsync(_stop.Token))
                {
                    if (e.Name == containerName)
                    {
                        _events.Enqueue(e);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>podman sends no event when a stream opens; give the subscription a moment to be in place.</summary>
    public Task StartedAsync() => Task.Delay(TimeSpan.FromMilliseconds(500));

    public int Count(string action) => _events.Count(e => e.Action == action);

    public void Dispose()
    {
        _stop.Cancel();
        _reader.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
