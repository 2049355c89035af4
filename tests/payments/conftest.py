"""The tests act as Alipay: keys they generate, notifications signed as Alipay
signs them (parameters sorted, ``sign``/``sign_type`` left out, ``k=v`` joined
with ``&``, RSA SHA-256 PKCS#1 v1.5, base64), and a local HTTP server answering
the gateway's query, close and refund calls as Alipay's API documents them (a
JSON object ``{"<method>_response": {...}, "sign": ...}`` whose signature
covers the response object's exact text)."""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

APP_ID = "2021000000000001"
SELLER_ID = "2088000000000001"


def _keypair() -> tuple[rsa.RSAPrivateKey, str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return key, private, public


@dataclass
class Keys:
    merchant: rsa.RSAPrivateKey
    merchant_private_pem: str
    merchant_public_pem: str
    alipay: rsa.RSAPrivateKey
    alipay_public_pem: str
    stranger: rsa.RSAPrivateKey


@pytest.fixture(scope="session")
def keys() -> Keys:
    merchant, m_priv, m_pub = _keypair()
    alipay, _a_priv, a_pub = _keypair()
    stranger, _s_priv, _s_pub = _keypair()
    return Keys(merchant, m_priv, m_pub, alipay, a_pub, stranger)


def rsa2_sign(key: rsa.RSAPrivateKey, text: str) -> str:
    return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa2_verify(public_pem: str, text: str, signature: str) -> bool:
    public = serialization.load_pem_public_key(public_pem.encode())
    try:
        public.verify(  # type: ignore[union-attr]
            base64.b64decode(signature), text.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except Exception:
        return False
    return True


def signing_string(params: dict[str, str], *, request: bool = False) -> str:
    """Notifications sign everything but sign and sign_type; a merchant's
    requests sign everything but sign."""
    left_out = ("sign",) if request else ("sign", "sign_type")
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k not in left_out)


def sign_notification(params: dict[str, str], key: rsa.RSAPrivateKey) -> dict[str, str]:
    signed = dict(params)
    signed["sign_type"] = "RSA2"
    signed["sign"] = rsa2_sign(key, signing_string(params))
    return signed


@dataclass
class FakeAlipay:
    """Alipay's gateway for the query, close and refund calls."""

    url: str
    keys: Keys
    trades: dict[str, dict[str, str]] = field(default_factory=dict)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    refuse_refund: str = ""


def _handler(fake: FakeAlipay):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
            signature = params.pop("sign", "")
            method = params.get("method", "")
            if (
                not rsa2_verify(
                    fake.keys.merchant_public_pem, signing_string(params, request=True), signature
                )
                or params.get("app_id") != APP_ID
            ):
                body = {
                    "code": "40002",
                    "msg": "Invalid Arguments",
                    "sub_code": "isv.invalid-signature",
                }
            else:
                biz = json.loads(params.get("biz_content", "{}"))
                fake.calls.append((method, biz))
                body = self.answer(method, biz)
            key = method.replace(".", "_") + "_response"
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            sign = rsa2_sign(fake.keys.alipay, content)
            raw = f'{{"{key}":{content},"sign":"{sign}"}}'
            data = raw.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def answer(self, method: str, biz: dict) -> dict:
            number = biz.get("out_trade_no", "")
            trade = fake.trades.get(number)
            if trade is None:
                return {
                    "code": "40004",
                    "msg": "Business Failed",
                    "sub_code": "ACQ.TRADE_NOT_EXIST",
                    "sub_msg": "交易不存在",
                }
            if method == "alipay.trade.query":
                return {"code": "10000", "msg": "Success", "out_trade_no": number, **trade}
            if method == "alipay.trade.close":
                trade["trade_status"] = "TRADE_CLOSED"
                return {"code": "10000", "msg": "Success", "out_trade_no": number}
            if method == "alipay.trade.refund":
                if fake.refuse_refund:
                    return {
                        "code": "40004",
                        "msg": "Business Failed",
                        "sub_code": fake.refuse_refund,
                        "sub_msg": "退款失败",
                    }
                trade["refund_fee"] = biz["refund_amount"]
                return {
                    "code": "10000",
                    "msg": "Success",
                    "out_trade_no": number,
                    "trade_no": trade["trade_no"],
                    "refund_fee": biz["refund_amount"],
                    "fund_change": "Y",
                }
            return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.UNKNOWN"}

    return Handler


@contextlib.contextmanager
def _serving(handler):
    """A provider's fake API on a free local port, for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fake_alipay(keys):
    fake = FakeAlipay(url="", keys=keys)
    with _serving(_handler(fake)) as base:
        fake.url = f"{base}/gateway.do"
        yield fake


@pytest.fixture
def alipay_on(settings, keys, fake_alipay):
    """Alipay configured with the test's keys, the gateway pointed at the fake."""
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "PAYMENTS": {
            **settings.OPENWENKU["PAYMENTS"],
            "ALIPAY_APP_ID": APP_ID,
            "ALIPAY_PRIVATE_KEY": keys.merchant_private_pem,
            "ALIPAY_PUBLIC_KEY": keys.alipay_public_pem,
            "ALIPAY_SELLER_ID": SELLER_ID,
            "ALIPAY_GATEWAY": fake_alipay.url,
        },
    }
    return fake_alipay


@pytest.fixture
def package(db):
    from openwenku.payments.models import CoinPackage

    return CoinPackage.objects.create(name="60 金币", price_fen=600, coins=60, bonus_coins=6)


def notification(order, *, trade_no="2026120422001400000000000001", **overrides) -> dict[str, str]:
    """The parameters of Alipay's notification that ``order`` was paid."""
    from django.utils import timezone

    now = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    params = {
        "notify_time": now,
        "notify_type": "trade_status_sync",
        "notify_id": "ac05099524730693a8b330c5ecf72da9786",
        "charset": "utf-8",
        "version": "1.0",
        "app_id": APP_ID,
        "auth_app_id": APP_ID,
        "seller_id": SELLER_ID,
        "trade_no": trade_no,
        "out_trade_no": order.number,
        "buyer_id": "2088102122524333",
        "trade_status": "TRADE_SUCCESS",
        "total_amount": order.amount_yuan,
        "receipt_amount": order.amount_yuan,
        "subject": f"OpenWenku {order.coins} coins",
        "gmt_create": now,
        "gmt_payment": now,
    }
    params.update(overrides)
    return params


# --- WeChat Pay (API v3) ---------------------------------------------------------

WX_APPID = "wx8888888888888888"
WX_MCHID = "1900000001"
WX_PUBLIC_KEY_ID = "PUB_KEY_ID_0119000000012025010100000000000001"
WX_APIV3_KEY = "0123456789abcdef0123456789ABCDEF"  # 32 bytes


@dataclass
class WxKeys:
    merchant_private_pem: str
    platform: rsa.RSAPrivateKey
    platform_public_pem: str
    stranger: rsa.RSAPrivateKey


@pytest.fixture(scope="session")
def wx_keys() -> WxKeys:
    _m, m_priv, _m_pub = _keypair()
    platform, _p_priv, p_pub = _keypair()
    stranger, _s, _sp = _keypair()
    return WxKeys(m_priv, platform, p_pub, stranger)


def wx_headers(key: rsa.RSAPrivateKey, body: str, *, timestamp: int | None = None) -> dict:
    """Headers WeChat Pay sends with a signed message: the signature covers
    "timestamp\\nnonce\\nbody\\n" (RSA SHA-256)."""
    import secrets
    import time

    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = secrets.token_hex(16)
    return {
        "Wechatpay-Timestamp": stamp,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": rsa2_sign(key, f"{stamp}\n{nonce}\n{body}\n"),
        "Wechatpay-Serial": WX_PUBLIC_KEY_ID,
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }


def wx_notification_body(resource: dict, *, apiv3_key: str = WX_APIV3_KEY) -> str:
    """A notification body: the resource encrypted with AES-256-GCM and the API v3 key."""
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_hex(6)  # 12 characters
    plain = json.dumps(resource, ensure_ascii=False)
    cipher = AESGCM(apiv3_key.encode()).encrypt(nonce.encode(), plain.encode(), b"transaction")
    return json.dumps(
        {
            "id": "EV-" + secrets.token_hex(8),
            "create_time": "2026-12-04T17:00:00+08:00",
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": {
                "original_type": "transaction",
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(cipher).decode(),
                "associated_data": "transaction",
                "nonce": nonce,
            },
        },
        ensure_ascii=False,
    )


def wx_paid(order, *, transaction_id="4200000000202612040000000001", **overrides) -> dict:
    resource = {
        "appid": WX_APPID,
        "mchid": WX_MCHID,
        "out_trade_no": order.number,
        "transaction_id": transaction_id,
        "trade_type": "NATIVE",
        "trade_state": "SUCCESS",
        "trade_state_desc": "支付成功",
        "bank_type": "OTHERS",
        "success_time": "2026-12-04T17:00:00+08:00",
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": order.amount_fen, "payer_total": order.amount_fen, "currency": "CNY"},
    }
    from django.utils import timezone

    resource["success_time"] = timezone.now().isoformat()
    resource.update(overrides)
    return resource


@dataclass
class FakeWechat:
    url: str
    keys: WxKeys
    trades: dict[str, dict] = field(default_factory=dict)
    calls: list[tuple[str, str, dict]] = field(default_factory=list)


def _wx_handler(fake: FakeWechat):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _answer(self, status: int, body: dict | None) -> None:
            text = "" if body is None else json.dumps(body, ensure_ascii=False)
            data = text.encode()
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            for k, v in wx_headers(fake.keys.platform, text).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _route(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            path = urlsplit(self.path).path
            fake.calls.append((method, path, body))
            if not self.headers.get("Authorization", "").startswith("WECHATPAY2-SHA256-RSA2048"):
                return self._answer(401, {"code": "SIGN_ERROR", "message": "签名错误"})
            if path == "/v3/pay/transactions/h5":
                if not body.get("scene_info", {}).get("payer_client_ip"):
                    return self._answer(400, {"code": "PARAM_ERROR", "message": "缺少场景信息"})
                url = "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=1"
                return self._answer(200, {"h5_url": url})
            if path == "/v3/pay/transactions/native":
                return self._answer(200, {"code_url": "weixin://wxpay/bizpayurl?pr=TEST1234"})
            if path == "/v3/refund/domestic/refunds":
                number = body["out_trade_no"]
                fake.trades.setdefault(number, {})["refund"] = body["amount"]["refund"]
                return self._answer(
                    200,
                    {
                        "refund_id": "50000000382019052709732678859",
                        "out_refund_no": body["out_refund_no"],
                        "status": "SUCCESS",
                        "amount": body["amount"],
                    },
                )
            prefix = "/v3/pay/transactions/out-trade-no/"
            if path.startswith(prefix):
                number = path[len(prefix) :].removesuffix("/close")
                trade = fake.trades.get(number)
                if path.endswith("/close"):
                    if trade is not None:
                        trade["trade_state"] = "CLOSED"
                    return self._answer(204, None)
                if trade is None:
                    return self._answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
                return self._answer(200, trade)
            return self._answer(404, {"code": "NOT_FOUND", "message": path})

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

    return Handler


@pytest.fixture
def fake_wechat(wx_keys):
    fake = FakeWechat(url="", keys=wx_keys)
    with _serving(_wx_handler(fake)) as base:
        fake.url = base
        yield fake


@pytest.fixture
def wechat_on(settings, wx_keys, fake_wechat):
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "PAYMENTS": {
            **settings.OPENWENKU["PAYMENTS"],
            "WECHAT_MCHID": WX_MCHID,
            "WECHAT_APPID": WX_APPID,
            "WECHAT_PRIVATE_KEY": wx_keys.merchant_private_pem,
            "WECHAT_CERT_SERIAL_NO": "444F4864EA9B34415D1A8DA1E2C1E1F2B4C8A0D1",
            "WECHAT_APIV3_KEY": WX_APIV3_KEY,
            "WECHAT_PUBLIC_KEY": wx_keys.platform_public_pem,
            "WECHAT_PUBLIC_KEY_ID": WX_PUBLIC_KEY_ID,
            "WECHAT_GATEWAY": fake_wechat.url,
        },
    }
    return fake_wechat
