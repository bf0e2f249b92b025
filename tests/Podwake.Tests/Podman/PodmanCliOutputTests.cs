using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Podman;

/// <summary>The podman CLI's pull and build lines as podman 4.3.1 prints them without a terminal.</summary>
public sealed class PodmanCliOutputTests
{
    [Theory]
    [InlineData("Copying blob sha256:0f9792da8bb3a3c177731541596712cf7ab7a9ab8b1e600d25fa9edd027e368d", true)]
    [InlineData("Writing manifest to image destination", true)]
    [InlineData("af2ec0bf74461f57fad6291b6c56f675933c594f954f287e7805dbed1f35054a", false)]
    [InlineData("Error: initializing source docker://x", false)]
    [InlineData("", false)]
    public void IsPullStep_ShowsStepsNotTheIdOrTheError(string line, bool shown) => Assert.Equal(shown, PodmanCliOutput.IsPullStep(line));

    [Theory]
    [InlineData("STEP 2/3: RUN echo hi", true)]
    [InlineData("hi", false)]
    [InlineData("--> 411a6e9adef1", false)]
    public void IsBuildStep_IsTheStepLines(string line, bool step) => Assert.Equal(step, PodmanCliOutput.IsBuildStep(line));

    [Fact]
    public void PullFailure_ClassifiesPodmansErrorLine_AtTheRegistryItTried()
    {
        var error = PodmanCliOutput.PullFailure("app:1",
            "Trying to pull registry.example.com/app:1...\n" +
            "Error: initializing source docker://registry.example.com/app:1: reading manifest 1 in registry.example.com/app: manifest unknown: manifest unknown\n");

        Assert.Equal("registry.example.com", error.Registry);
        Assert.Equal(ImagePullFailure.NotFound, error.Failure);
        Assert.StartsWith("initializing source docker://registry.example.com/app:1", error.PodmanError, StringComparison.Ordinal);
    }

    [Fact]
    public void PullFailure_WithoutATryingLine_TakesTheRegistryFromTheName()
    {
        var error = PodmanCliOutput.PullFailure("127.0.0.1:1/x:1",
            "Error: initializing source docker://127.0.0.1:1/x:1: pinging container registry 127.0.0.1:1: Get \"https://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused\n");

        Assert.Equal("127.0.0.1:1", error.Registry);
        Assert.Equal(ImagePullFailure.Unreachable, error.Failure);
    }
}
