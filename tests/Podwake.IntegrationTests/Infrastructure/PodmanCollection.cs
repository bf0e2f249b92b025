using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>The tests that share one <see cref="PodmanFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PodmanCollection : ICollectionFixture<PodmanFixture>
{
    public const string Name = "podman";
}
