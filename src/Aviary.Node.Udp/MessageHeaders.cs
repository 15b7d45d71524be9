using System.Runtime.InteropServices;

namespace Aviary.Node.Udp;

/// <summary>One buffer of a message: struct iovec on 64-bit Linux.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    public byte* Base;
    public nuint Length;
}

/// <summary>One datagram's address and buffers: struct msghdr on 64-bit Linux.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    public byte* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

/// <summary>One entry of a recvmmsg(2)/sendmmsg(2) batch: struct mmsghdr, with the bytes moved.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    public MsgHdr Header;
    public uint Length;
}
