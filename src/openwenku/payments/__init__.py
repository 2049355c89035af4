"""Money in (issue 15): coin packages, orders paid by Alipay or WeChat Pay,
the providers' notifications that credit coins (exactly once, through the
market's ``coins_add``), reconciliation and refunds."""
