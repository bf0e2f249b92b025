using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>
/// Keys this build validates but cannot run yet are errors, never silently ignored (see <see cref="SupportedFeatures"/>).
/// Delete a test here when its feature lands.
/// </summary>
public sealed class NotSupportedYetTests : IDisposable
{
    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Fact]
    public void InvalidUser_IsReported()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            run_as: 1web
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:4:9: error: run_as: \"1web\" is not a valid account name; use up to 32 lowercase letters, digits, '_' and '-', starting with a letter or '_'",
            ],
            errors);
    }

    [Fact]
    public void ExposeTarget_MustBeAListenPort()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            expose:
              - listen: 0.0.0.0:80
                to: 8081
              - listen: 0.0.0.0:443
                to: 8080
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:6:9: error: expose[0].to: 8081 is not a listen port of this service; ports listen on 8080",
            ],
            errors);
    }

    [Fact]
    public void ExposeOnAnAddressAPortUses_Collides()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            expose: [{listen: 0.0.0.0:8080, to: 8080}]
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:4:19: error: expose[0].listen: 0.0.0.0:8080/tcp collides with 127.0.0.1:8080/tcp of ports[0].listen at {_spec.Path}:3:18; both cannot be bound at once: use another port",
            ],
            errors);
    }

    [Theory]
    [InlineData("registry")]
    [InlineData("local")]
    public void UpdatePolicies_AreAccepted(string policy)
    {
        var errors = _spec.Errors($$"""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            update: {{policy}}
            """);

        Assert.Empty(errors);
    }

    [Fact]
    public void EveryFeature_IsStillListedAsNotSupported()
    {
        // When one lands, remove it from SupportedFeatures and its test above; this keeps the list honest.
        // user: and expose: landed with podwake deploy, update: registry and local with podwake update; their checks
        // above stay, as validation tests.
        // pod: landed with pods run by podman kube play (PodSpecTests).
        SpecFeature[] landed = [SpecFeature.RunAs, SpecFeature.Expose, SpecFeature.RegistryUpdates, SpecFeature.LocalUpdates, SpecFeature.Pod];
        Assert.All(Enum.GetValues<SpecFeature>().Except(landed), feature => Assert.False(SupportedFeatures.IsSupported(feature)));
        Assert.All(landed, feature => Assert.True(SupportedFeatures.IsSupported(feature)));
    }
}
