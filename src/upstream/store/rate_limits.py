"""Rate limits that hold across threads and server processes.

Counting attempts and then deciding ("check, then act") lets several requests
arriving together all see the same count and all go through. Here each attempt
*takes* one of the allowance with a single conditional ``UPDATE``: the database
serialises those statements on the row, so at most ``limit`` of them succeed in
a window, on SQLite and PostgreSQL alike.

Each key (for example an account and an address, or a story link and an
address) has one :class:`~upstream.store.account_models.RateLimit` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, case, delete, literal, or_, select, update

from upstream.store.account_models import RateLimit
from upstream.store.repository import Store, insert_if_absent

# Back-off doubles with each lock-out of the same key, up to this.
LONGEST_LOCKOUT = timedelta(hours=24)
_KEY_LENGTH = 400


@dataclass(frozen=True, slots=True)
class Allowance:
    """The answer to "may this attempt go ahead?".

    Attributes:
        allowed: Whether it may.
        retry_after: When refused, how long until the next attempt can succeed.
    """

    allowed: bool
    retry_after: timedelta = timedelta(0)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _at(moment: datetime) -> object:
    return literal(moment, DateTime(timezone=True))


class RateLimits:
    """Allowances of attempts per key, kept in the store.

    Args:
        store: The open store.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def take(self, key: str, *, limit: int, window: timedelta) -> Allowance:
        """Use one of ``limit`` attempts ``key`` may make in ``window``.

        The allowance starts again when ``window`` has passed since the first
        attempt counted, unless the key is locked out (see :meth:`lock_out_if_spent`).

        Args:
            key: What is limited, such as ``login:email|address``.
            limit: Attempts allowed in one window.
            window: How long one window lasts.

        Returns:
            Whether the attempt may go ahead and, if not, how long to wait.
        """
        key = key[:_KEY_LENGTH]
        now = _now()
        window_over = RateLimit.window_start <= now - window
        with self.store.session() as session:
            insert_if_absent(
                session, RateLimit, ["key"], key=key, count=0, window_start=now, lockouts=0
            )
            taken = session.execute(
                update(RateLimit)
                .where(
                    RateLimit.key == key,
                    or_(RateLimit.locked_until.is_(None), RateLimit.locked_until <= now),
                    or_(RateLimit.count < limit, window_over),
                )
                .values(
                    count=case((window_over, 1), else_=RateLimit.count + 1),
                    window_start=case((window_over, _at(now)), else_=RateLimit.window_start),
                )
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return Allowance(True)
            row = session.scalar(select(RateLimit).where(RateLimit.key == key))
            assert row is not None  # inserted above if it was missing
            until = _aware(row.window_start) + window
            if row.locked_until is not None and _aware(row.locked_until) > now:
                until = _aware(row.locked_until)
            return Allowance(False, max(until - now, timedelta(seconds=1)))

    def give_back(self, key: str) -> None:
        """Return an attempt that did not count after all (such as a form with mistakes)."""
        with self.store.session() as session:
            session.execute(
                update(RateLimit)
                .where(RateLimit.key == key[:_KEY_LENGTH], RateLimit.count > 0)
                .values(count=RateLimit.count - 1)
                .execution_options(synchronize_session=False)
            )

    def lock_out_if_spent(self, key: str, *, limit: int, first_lockout: timedelta) -> bool:
        """Lock ``key`` out when its allowance is used up, for longer each time.

        The first lock-out lasts ``first_lockout``, the next twice that, and so on
        up to :data:`LONGEST_LOCKOUT`. The allowance is full again afterwards.

        Returns:
            Whether this call locked the key out.
        """
        key = key[:_KEY_LENGTH]
        now = _now()
        with self.store.session() as session:
            row = session.scalar(select(RateLimit).where(RateLimit.key == key))
            if row is None or row.count < limit:
                return False
            seen = row.lockouts
            lockout = min(first_lockout * (2 ** min(seen, 16)), LONGEST_LOCKOUT)
            # Compare-and-set on the lock-out count: of several failures arriving
            # together, exactly one sets the lock-out.
            locked = session.execute(
                update(RateLimit)
                .where(RateLimit.key == key, RateLimit.lockouts == seen, RateLimit.count >= limit)
                .values(count=0, window_start=now, locked_until=now + lockout, lockouts=seen + 1)
                .execution_options(synchronize_session=False)
            )
            return bool(locked.rowcount)  # type: ignore[attr-defined]

    def clear(self, key: str) -> None:
        """Forget a key's attempts and lock-outs (after a successful sign-in)."""
        with self.store.session() as session:
            session.execute(delete(RateLimit).where(RateLimit.key == key[:_KEY_LENGTH]))


__all__ = ["LONGEST_LOCKOUT", "Allowance", "RateLimits"]
