using Podwake.Podman;
using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// One podman API connection (an existing service, or one started for the run) and the test image, shared by the
/// tests of <see cref="PodmanCollection"/>. Does nothing when podman is unusable and the tests skip.
/// </summary>
public sealed class PodmanFixture : IAsyncLifetime
{
    private PodmanService? _service;

    internal PodmanService Service => _service ?? throw new InvalidOperationException(
        $"podman is not usable: {PodmanAvailability.SkipReason}");

    internal PodmanClient Client => Service.Client;

    public async Task InitializeAsync()
    {
        if (PodmanAvailability.SkipReason is not null && !PodmanAvailability.IsCi)
        {
            return;
        }

        _service = await PodmanService.ConnectAsync(null, CancellationToken.None);
        await TestImages.BusyboxAsync();
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}
