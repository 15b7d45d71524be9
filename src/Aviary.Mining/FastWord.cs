namespace Aviary.Mining;

/// <summary>
/// The fast word as a type, so that each vector kernel is compiled once per layout with the round it
/// starts at and the constant schedule words known to the JIT: branches on <see cref="Index"/> and
/// <see cref="Varying"/> fold away. <see cref="Varying"/> equals <see cref="ScheduleDependence.VaryingMask"/>
/// of <see cref="Index"/> (a test checks every one).
/// </summary>
internal interface IFastWord
{
    /// <summary>The word of the last block that the counter's low digits are in.</summary>
    static abstract int Index { get; }

    /// <summary>Bit t set when schedule word t depends on that word.</summary>
    static abstract ulong Varying { get; }
}

/// <summary>Layouts whose nonce ends in word 4 of the last block.</summary>
internal readonly struct FastWord4 : IFastWord
{
    public static int Index => 4;

    public static ulong Varying => 0xfffffffffff80010;
}

/// <summary>Layouts whose nonce ends in word 5 of the last block.</summary>
internal readonly struct FastWord5 : IFastWord
{
    public static int Index => 5;

    public static ulong Varying => 0xfffffffffff00020;
}

/// <summary>Layouts whose nonce ends in word 6 of the last block.</summary>
internal readonly struct FastWord6 : IFastWord
{
    public static int Index => 6;

    public static ulong Varying => 0xffffffffffe00040;
}

/// <summary>Layouts whose nonce ends in word 7 of the last block.</summary>
internal readonly struct FastWord7 : IFastWord
{
    public static int Index => 7;

    public static ulong Varying => 0xffffffffffc00080;
}

/// <summary>Layouts whose nonce ends in word 8 of the last block.</summary>
internal readonly struct FastWord8 : IFastWord
{
    public static int Index => 8;

    public static ulong Varying => 0xffffffffff800100;
}

/// <summary>Layouts whose nonce ends in word 9 of the last block.</summary>
internal readonly struct FastWord9 : IFastWord
{
    public static int Index => 9;

    public static ulong Varying => 0xffffffffffd50200;
}

/// <summary>Layouts whose nonce ends in word 10 of the last block.</summary>
internal readonly struct FastWord10 : IFastWord
{
    public static int Index => 10;

    public static ulong Varying => 0xffffffffffaa0400;
}

/// <summary>Layouts whose nonce ends in word 11 of the last block.</summary>
internal readonly struct FastWord11 : IFastWord
{
    public static int Index => 11;

    public static ulong Varying => 0xffffffffff540800;
}

/// <summary>Layouts whose nonce ends in word 12 of the last block.</summary>
internal readonly struct FastWord12 : IFastWord
{
    public static int Index => 12;

    public static ulong Varying => 0xfffffffffea81000;
}

/// <summary>Layouts whose nonce ends in word 13 of the last block (the usual case).</summary>
internal readonly struct FastWord13 : IFastWord
{
    public static int Index => 13;

    public static ulong Varying => 0xfffffffffd502000;
}
