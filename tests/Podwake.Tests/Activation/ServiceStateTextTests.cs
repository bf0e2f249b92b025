using System.Text.Json;
using Podwake.Activation;
using Podwake.Control;
using Xunit;
using static Podwake.Tests.EnumTextTests;

namespace Podwake.Tests.Activation;

public sealed class ServiceStateTextTests
{
    [Fact]
    public void ServiceStateText_RoundTrips() => AssertRoundTrips(ServiceStateText.Table, "dormant", "waking", "ready", "stopping", "failed");

    [Fact]
    public void StatusJson_WritesAndReadsTheSameWords()
    {
        foreach (var state in Enum.GetValues<ServiceState>())
        {
            var json = JsonSerializer.Serialize(new ServiceStatus { Name = "web", State = state }, ControlJsonContext.Default.ServiceStatus);

            Assert.Contains($"\"state\": \"{state.ToText()}\"", json, StringComparison.Ordinal);
            Assert.Equal(state, JsonSerializer.Deserialize(json, ControlJsonContext.Default.ServiceStatus)!.State);
        }

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"name": "web", "state": "Asleep"}""", ControlJsonContext.Default.ServiceStatus));
    }
}
