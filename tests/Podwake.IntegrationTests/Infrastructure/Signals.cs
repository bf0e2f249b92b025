namespace Podwake.IntegrationTests.Infrastructure;

internal static class Signals
{
    public const int Int = 2;
    public const int Kill = 9;
    public const int Term = 15;
    public const int Cont = 18;
    public const int Stop = 19;
}
