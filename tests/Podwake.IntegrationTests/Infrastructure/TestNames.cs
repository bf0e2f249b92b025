namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>Unique names for everything a test creates, so runs never collide and leftovers are recognisable.</summary>
internal static class TestNames
{
    public const string Prefix = "podwake-it-";

    public static string Unique() => Prefix + Guid.NewGuid().ToString("N")[..8];
}
