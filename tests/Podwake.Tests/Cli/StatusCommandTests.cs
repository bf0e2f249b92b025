using Podwake.Activation;
using Podwake.Cli;
using Podwake.Control;
using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class StatusCommandTests
{
    [Fact]
    public void Table_AlignsColumnsAndExplainsFailures()
    {
        var document = new StatusDocument
        {
            Pid = 4242,
            StartedAt = DateTimeOffset.UnixEpoch,
            Services =
            [
                new ServiceStatus { Name = "hello", State = ServiceState.Ready, OpenConnections = 3, LiveFlows = 2, DroppedDatagrams = 7, Wakes = 2, LastWakeMilliseconds = 231.6, IdleRemainingSeconds = null, Listen = ["127.0.0.1:8080/tcp"] },
                new ServiceStatus { Name = "db", State = ServiceState.Failed, LastError = "not ready within 30s", Listen = ["[::1]:5432/tcp"] },
                new ServiceStatus
                {
                    Name = "web", State = ServiceState.Dormant, Wakes = 1, IdleRemainingSeconds = 12.34, Listen = ["0.0.0.0:80/tcp", "0.0.0.0:443/tcp"],
                    ImageDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                    LastUpdate = new UpdateResult
                    {
                        Service = "web", Image = "localhost:5000/web:1", Outcome = UpdateOutcome.RolledBack, Reason = "the new image was not ready within 30s",
                        At = DateTimeOffset.Parse("2026-11-30T06:30:00Z", System.Globalization.CultureInfo.InvariantCulture),
                    },
                },
            ],
        };

        var table = StatusCommand.FormatTable([document]);

        Assert.Equal(
            """
            SERVICE  STATE    OPEN  HELD  FLOWS  DROPPED  EVICTED  WAKES  LAST WAKE  IDLE IN  DIGEST        LAST UPDATE                    LISTEN                          PID
            hello    ready    3     0     2      7        0        2      232 ms     -        -             -                              127.0.0.1:8080/tcp              4242
            db       failed   0     0     0      0        0        0      -          -        -             -                              [::1]:5432/tcp                  4242
            web      dormant  0     0     0      0        0        1      -          12.3 s   0123456789ab  rolled-back 2026-11-30 06:30Z  0.0.0.0:80/tcp,0.0.0.0:443/tcp  4242
            db: last wake failed: not ready within 30s
            web: last update rolled-back: the new image was not ready within 30s

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            table);
    }

    [Fact]
    public void DormantDeployedService_ShowsNoPid_AndItsLastWake()
    {
        var dormant = new StatusDocument
        {
            Pid = null,
            Runtime = StatusDocument.RuntimeSystemd,
            StartedAt = null,
            Services = [new ServiceStatus { Name = "api", State = ServiceState.Dormant, Wakes = 1, LastWakeMilliseconds = 512.4, Listen = ["127.0.0.1:9000/tcp"] }],
        };

        var table = StatusCommand.FormatTable([dormant]);
        var json = System.Text.Json.JsonSerializer.Serialize(dormant, ControlJsonContext.Default.StatusDocument);

        Assert.Equal(
            """
            SERVICE  STATE    OPEN  HELD  FLOWS  DROPPED  EVICTED  WAKES  LAST WAKE  IDLE IN  DIGEST  LAST UPDATE  LISTEN              PID
            api      dormant  0     0     0      0        0        1      512 ms     -        -       -            127.0.0.1:9000/tcp  -

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            table);
        Assert.Contains("\"pid\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"runtime\": \"systemd\"", json, StringComparison.Ordinal);
    }
}
