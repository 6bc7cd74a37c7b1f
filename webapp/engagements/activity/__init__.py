"""What happens during an engagement: sessions, artifacts and check-in rounds, logged from its page."""
