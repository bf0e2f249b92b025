using System.Collections.Concurrent;
using System.Net;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>A client that sends one GET after another until stopped, counting how each ended.</summary>
internal sealed class ClientLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<HttpOutcomeKind, int> _outcomes = new();
    private readonly Task _loop;

    public ClientLoop(IPEndPoint endpoint)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var outcome = await RawHttp.GetAsync(endpoint, timeout: TimeSpan.FromSeconds(60));
                _outcomes.AddOrUpdate(outcome.Kind, 1, (_, n) => n + 1);
                await Task.Delay(20); // paces the client: one request after another, not a busy loop
            }
        });
    }

    public int Count(HttpOutcomeKind kind) => _outcomes.GetValueOrDefault(kind);

    public int Total => _outcomes.Values.Sum();

    public override string ToString() => string.Join(", ", _outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}"));

    /// <summary>Stops after the request under way.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
