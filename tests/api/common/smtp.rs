//! A local SMTP sink for tests: a tokio TCP server that speaks just enough SMTP for one
//! client at a time, keeps every message it accepts, and can be told to refuse
//! recipients with a temporary (4xx) or permanent (5xx) reply.

use std::sync::{Arc, Mutex};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

/// One message as received: envelope and the raw DATA.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

pub struct SmtpSink {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<Received>>>,
    /// The reply to RCPT TO; "250 OK" accepts.
    pub rcpt_reply: Arc<Mutex<String>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let rcpt_reply = Arc::new(Mutex::new("250 OK".to_string()));
        let (store, reply) = (messages.clone(), rcpt_reply.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (store, reply) = (store.clone(), reply.clone());
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let send = |text: String| format!("{text}\r\n");
                    write.write_all(b"220 sink ESMTP\r\n").await.ok();
                    let (mut from, mut to) = (String::new(), Vec::new());
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let answer = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                            "250-sink\r\n250 8BITMIME".to_string()
                        } else if upper.starts_with("MAIL FROM:") {
                            from = line[10..].trim().to_string();
                            to.clear();
                            "250 OK".into()
                        } else if upper.starts_with("RCPT TO:") {
                            let reply = reply.lock().unwrap().clone();
                            if reply.starts_with('2') {
                                to.push(line[8..].trim().to_string());
                            }
                            reply
                        } else if upper == "DATA" {
                            write.write_all(b"354 go ahead\r\n").await.ok();
                            let mut data = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                data.push_str(&line);
                                data.push('\n');
                            }
                            store.lock().unwrap().push(Received {
                                from: from.clone(),
                                to: to.clone(),
                                data,
                            });
                            "250 queued".into()
                        } else if upper == "QUIT" {
                            write.write_all(b"221 bye\r\n").await.ok();
                            break;
                        } else if upper == "RSET" || upper == "NOOP" {
                            "250 OK".into()
                        } else {
                            "502 not implemented".into()
                        };
                        if write.write_all(send(answer).as_bytes()).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        SmtpSink {
            port,
            messages,
            rcpt_reply,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.messages.lock().unwrap().clone()
    }

    pub fn reply_to_recipients(&self, reply: &str) {
        *self.rcpt_reply.lock().unwrap() = reply.to_string();
    }
}
