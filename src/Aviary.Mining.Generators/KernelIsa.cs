namespace Aviary.Mining.Generators;

/// <summary>
/// How one instruction set spells the template's SHA-256 pieces (see Sha256Kernel.template): the vector
/// type, a rotate, a logical right shift, and the three-input functions (one ternary-logic instruction
/// where AVX-512 has it, the shortest and/or/xor form where it does not).
/// </summary>
internal sealed class KernelIsa
{
    private readonly Func<string, int, string> rotateRight;
    private readonly Func<string, int, string> shiftRight;
    private readonly Func<string, string, string, string> xor3;
    private readonly Func<string, string, string, string> choose;
    private readonly Func<string, string, string, string> majority;

    private KernelIsa(
        string vector,
        Func<string, int, string> rotateRight,
        Func<string, int, string> shiftRight,
        Func<string, string, string, string> xor3,
        Func<string, string, string, string> choose,
        Func<string, string, string, string> majority)
    {
        Vector = vector;
        this.rotateRight = rotateRight;
        this.shiftRight = shiftRight;
        this.xor3 = xor3;
        this.choose = choose;
        this.majority = majority;
    }

    /// <summary>The static vector class: Vector512 or Vector256.</summary>
    public string Vector { get; }

    /// <summary>The instruction sets the generator knows, by the name [SimdKernel] gives.</summary>
    public static IReadOnlyDictionary<string, KernelIsa> Known { get; } = new Dictionary<string, KernelIsa>(StringComparer.Ordinal)
    {
        ["Avx512"] = Ternary("Vector512", "Avx512F.RotateRight", "Avx512F.ShiftRightLogical", "Avx512F.TernaryLogic"),
        ["Avx2Vl"] = Ternary("Vector256", "Avx512F.VL.RotateRight", "Avx2.ShiftRightLogical", "Avx512F.VL.TernaryLogic"),
        ["Avx2"] = new KernelIsa(
            "Vector256",
            (x, n) => $"Avx2.Or(Avx2.ShiftRightLogical({x}, {n}), Avx2.ShiftLeftLogical({x}, {32 - n}))",
            (x, n) => $"Avx2.ShiftRightLogical({x}, {n})",
            (a, b, c) => $"({a} ^ {b} ^ {c})",
            (e, f, g) => $"({g} ^ ({e} & ({f} ^ {g})))",
            (a, b, c) => $"(({a} & {b}) | ({c} & ({a} | {b})))"),
    };

    /// <summary>rotr(x, r1) ^ rotr(x, r2) ^ rotr(x, r3).</summary>
    public string BigSigma(string x, int r1, int r2, int r3) =>
        xor3(rotateRight(x, r1), rotateRight(x, r2), rotateRight(x, r3));

    /// <summary>rotr(x, r1) ^ rotr(x, r2) ^ (x &gt;&gt; s).</summary>
    public string SmallSigma(string x, int r1, int r2, int s) =>
        xor3(rotateRight(x, r1), rotateRight(x, r2), shiftRight(x, s));

    /// <summary>(e &amp; f) ^ (~e &amp; g).</summary>
    public string Choose(string e, string f, string g) => choose(e, f, g);

    /// <summary>(a &amp; b) ^ (a &amp; c) ^ (b &amp; c).</summary>
    public string Majority(string a, string b, string c) => majority(a, b, c);

    private static KernelIsa Ternary(string vector, string rotate, string shift, string ternary) => new(
        vector,
        (x, n) => $"{rotate}({x}, {n})",
        (x, n) => $"{shift}({x}, {n})",
        (a, b, c) => $"{ternary}({a}, {b}, {c}, 0x96)",
        (e, f, g) => $"{ternary}({e}, {f}, {g}, 0xca)",
        (a, b, c) => $"{ternary}({a}, {b}, {c}, 0xe8)");
}
