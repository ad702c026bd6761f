"""Signing: the issuer's keys, each certificate's Open Badges 3.0 credential, and the status lists that revoke them."""
