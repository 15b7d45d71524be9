namespace Aviary.Cli;

/// <summary>Whether a live progress line is drawn on the terminal now, so that log lines erase it before they print.</summary>
internal static class ProgressLine
{
    private static volatile bool drawn;

    public static bool Drawn
    {
        get => drawn;
        set => drawn = value;
    }
}
