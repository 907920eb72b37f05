package dev.chaosjunit.internal.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * An NIO echo server run in a child JVM, so that thousands of its sockets do not count against
 * the test JVM's file-descriptor limit. Prints its port on the first line of stdout and echoes
 * until killed. Echo writes are best-effort (small messages), enough for the scale test.
 */
public final class ChildEchoServer {

    private ChildEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
            System.out.flush();
            ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
            while (true) {
                selector.select();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel socket;
                        while ((socket = server.accept()) != null) {
                            socket.configureBlocking(false);
                            socket.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        SocketChannel socket = (SocketChannel) key.channel();
                        buffer.clear();
                        int count;
                        try {
                            count = socket.read(buffer);
                        } catch (IOException e) {
                            count = -1;
                        }
                        if (count < 0) {
                            key.cancel();
                            socket.close();
                            continue;
                        }
                        buffer.flip();
                        socket.write(buffer);
                    }
                }
            }
        }
    }
}
