namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>What <see cref="TestRegistry.PushAsync"/> pushed: the full reference and the manifest digest the registry stores.</summary>
internal sealed record PushedImage(string Reference, string Digest);
